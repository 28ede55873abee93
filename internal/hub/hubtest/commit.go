package hubtest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// preupload answers POST /api/{kind}/{ns}/{name}/preupload/{rev}: for each
// file, whether it goes to LFS (by .gitattributes, size over 10 MiB, or a
// binary sample), whether the repository's .gitignore ignores it, and the
// oid of the file already at that path.
func (h *hub) preupload(w http.ResponseWriter, r *http.Request) {
	body, rp, ok := h.writeRequest(w, r, 64<<20)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	if !revisionOK(w, rp, r.PathValue("rev")) {
		return
	}
	var req struct {
		GitAttributes string `json:"gitAttributes"`
		GitIgnore     string `json:"gitIgnore"`
		Files         []struct {
			Path   string `json:"path"`
			Size   int64  `json:"size"`
			Sample string `json:"sample"`
		} `json:"files"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON body: "+err.Error())
		return
	}
	if len(req.Files) > 256 {
		writeError(w, http.StatusBadRequest, "Too many files: at most 256 per request")
		return
	}
	head := rp.head()
	attrs, ignore := req.GitAttributes, req.GitIgnore
	if e := head.tree[".gitattributes"]; attrs == "" && e != nil {
		attrs = string(e.data)
	}
	if e := head.tree[".gitignore"]; ignore == "" && e != nil {
		ignore = string(e.data)
	}
	lfs, ign := lfsPatterns(attrs), ignorePatterns(ignore)

	type answer struct {
		Path         string  `json:"path"`
		UploadMode   string  `json:"uploadMode"`
		ShouldIgnore bool    `json:"shouldIgnore"`
		OID          *string `json:"oid,omitempty"`
	}
	out := struct {
		Files     []answer `json:"files"`
		CommitOid string   `json:"commitOid"`
	}{Files: []answer{}, CommitOid: head.id}
	for _, f := range req.Files {
		sample, err := base64.StdEncoding.DecodeString(f.Sample)
		if err != nil || len(sample) > 512 {
			writeError(w, http.StatusBadRequest, "Invalid sample for "+f.Path+": base64 of at most 512 bytes")
			return
		}
		a := answer{Path: f.Path, UploadMode: "regular"}
		if f.Size > 0 && (lfs.match(f.Path) || f.Size > maxRegularSize || bytes.IndexByte(sample, 0) >= 0) {
			a.UploadMode = "lfs"
		}
		a.ShouldIgnore = ign.match(f.Path) || f.Path == ".git" || strings.HasPrefix(f.Path, ".git/")
		if e := head.tree[f.Path]; e != nil {
			a.OID = &e.oid
		}
		out.Files = append(out.Files, a)
	}
	writeJSON(w, http.StatusOK, out)
}

// commitLine is one line of the NDJSON commit body.
type commitLine struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// commit answers POST /api/{kind}/{ns}/{name}/commit/{rev}: it checks every
// operation first and applies all or nothing. A parentCommit that is not the
// head gives 412, an lfsFile whose object was never uploaded 422.
func (h *hub) commit(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/x-ndjson, got "+ct)
		return
	}
	body, rp, ok := h.writeRequest(w, r, 1<<30)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	if !revisionOK(w, rp, r.PathValue("rev")) {
		return
	}

	var (
		header struct {
			Summary      string `json:"summary"`
			Description  string `json:"description"`
			ParentCommit string `json:"parentCommit"`
		}
		sawHeader bool
		add       = map[string]*entry{}
		del       []string
	)
	bad := func(status int, format string, args ...any) {
		w.Header().Set("X-Error-Message", fmt.Sprintf(format, args...))
		writeError(w, status, fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 1<<30)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var line commitLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			bad(http.StatusBadRequest, "line %d is not JSON: %v", n, err)
			return
		}
		var v struct {
			Summary      string `json:"summary"`
			Description  string `json:"description"`
			ParentCommit string `json:"parentCommit"`
			Path         string `json:"path"`
			Content      string `json:"content"`
			Encoding     string `json:"encoding"`
			Algo         string `json:"algo"`
			OID          string `json:"oid"`
			Size         int64  `json:"size"`
		}
		if err := json.Unmarshal(line.Value, &v); err != nil {
			bad(http.StatusBadRequest, "line %d: bad value: %v", n, err)
			return
		}
		if line.Key != "header" && (v.Path == "" || strings.HasPrefix(v.Path, "/") || strings.Contains(v.Path, "..")) {
			bad(http.StatusBadRequest, "line %d: invalid path %q", n, v.Path)
			return
		}
		switch line.Key {
		case "header":
			header.Summary, header.Description, header.ParentCommit = v.Summary, v.Description, v.ParentCommit
			sawHeader = true
		case "file":
			if v.Encoding != "base64" {
				bad(http.StatusBadRequest, "line %d: encoding must be base64", n)
				return
			}
			data, err := base64.StdEncoding.DecodeString(v.Content)
			if err != nil {
				bad(http.StatusBadRequest, "line %d: content is not base64", n)
				return
			}
			if len(data) > maxRegularSize {
				bad(http.StatusUnprocessableEntity, "Your push was rejected because it contains files larger than 10 MiB. Please use https://git-lfs.github.com/ to store large files. Offending file: %s", v.Path)
				return
			}
			add[v.Path] = &entry{size: int64(len(data)), oid: gitBlobSHA1(data), data: data}
		case "lfsFile":
			obj := rp.objects[v.OID]
			if obj == nil || obj.size != v.Size || (v.Algo != "" && v.Algo != "sha256") {
				bad(http.StatusUnprocessableEntity, "Your push was rejected because an LFS pointer pointed to a file that does not exist. Offending file: %s", v.Path)
				return
			}
			add[v.Path] = &entry{size: v.Size, lfs: true, oid: v.OID, data: obj.data}
		case "deletedFile", "deletedFolder":
			del = append(del, v.Path)
		default:
			bad(http.StatusBadRequest, "line %d: unknown key %q", n, line.Key)
			return
		}
	}
	if !sawHeader || strings.TrimSpace(header.Summary) == "" {
		bad(http.StatusBadRequest, "the commit needs a header line with a summary")
		return
	}
	if header.ParentCommit != "" && header.ParentCommit != rp.head().id {
		w.Header().Set("X-Error-Code", "ParentCommitMismatch")
		writeError(w, http.StatusPreconditionFailed, "A commit has happened since. Please refresh and try again.")
		return
	}
	c := h.store.apply(rp, header.Summary, header.Description, add, del)
	writeJSON(w, http.StatusOK, map[string]any{
		"success":       true,
		"commitOid":     c.id,
		"commitUrl":     h.url + "/" + gitPrefix(rp.kind) + rp.id + "/commit/" + c.id,
		"commitMessage": header.Summary,
		"hookOutput":    "",
	})
}
