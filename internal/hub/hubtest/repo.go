package hubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// repoKinds maps the API's plural type to the singular one.
var repoKinds = map[string]string{"models": "model", "datasets": "dataset", "spaces": "space"}

// gitKinds maps the first segment of a git URL to the API's plural type.
var gitKinds = map[string]string{"datasets": "datasets", "spaces": "spaces"}

// target reads the repository a request is about: from the API path
// (/api/{kind}/{namespace}/{name}/…) or the git path ({kind}/{namespace}/{namegit}).
func target(r *http.Request) (kind, id string, ok bool) {
	namespace, name := r.PathValue("namespace"), r.PathValue("name")
	kind = r.PathValue("kind")
	if ng := r.PathValue("namegit"); ng != "" {
		var isGit bool
		name, isGit = strings.CutSuffix(ng, ".git")
		if !isGit {
			return "", "", false
		}
		if kind == "" {
			kind = "models"
		} else if kind = gitKinds[kind]; kind == "" {
			return "", "", false
		}
	}
	if _, known := repoKinds[kind]; !known || namespace == "" || name == "" {
		return "", "", false
	}
	return kind, namespace + "/" + name, true
}

// access authenticates the request and finds its repository, answering the
// error itself when it fails: 401 without a valid token, 404 for a
// repository that does not exist, 403 when write is asked and the token may
// not. The caller must hold no lock; on success it holds h.store.mu.
// writeRequest reads the body of a request that changes a repository (at
// most limit bytes) and checks the token may write there. Like access, it
// returns with the store locked; the caller unlocks.
func (h *hub) writeRequest(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *repo, bool) {
	body, err := readAll(r, limit)
	if err != nil {
		writeError(w, http.StatusBadRequest, "failed to read the request body")
		return nil, nil, false
	}
	rp, ok := h.access(w, r, true)
	return body, rp, ok
}

func (h *hub) access(w http.ResponseWriter, r *http.Request, write bool) (*repo, bool) {
	kind, id, ok := target(r)
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	g, ok := h.authenticate(w, r)
	if !ok {
		return nil, false
	}
	h.store.mu.Lock()
	rp, exists := h.store.lookup(kind, id)
	namespace, _, _ := strings.Cut(id, "/")
	switch {
	case !exists:
		h.store.mu.Unlock()
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeError(w, http.StatusNotFound, "Repository Not Found for url: "+h.url+r.URL.Path+".")
		return nil, false
	case write && !g.canWrite(namespace):
		h.store.mu.Unlock()
		writeError(w, http.StatusForbidden, fmt.Sprintf("You don't have write access to %s/%s with this token", kind, id))
		return nil, false
	}
	return rp, true
}

// revisionOK answers 404 unless rev is the main branch (or its head commit),
// the only revision the fake has.
func revisionOK(w http.ResponseWriter, rp *repo, rev string) bool {
	if rev == "main" || rev == rp.head().id {
		return true
	}
	w.Header().Set("X-Error-Code", "RevisionNotFound")
	writeError(w, http.StatusNotFound, fmt.Sprintf("Invalid rev id: %s", rev))
	return false
}

// createRepo answers POST /api/repos/create like the Hub: 200 with the URL,
// 409 when it exists, 403 for a namespace the token cannot write to.
func (h *hub) createRepo(w http.ResponseWriter, r *http.Request) {
	g, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	var req struct {
		Name         string `json:"name"`
		Organization string `json:"organization"`
		Type         string `json:"type"`
		Private      bool   `json:"private"`
	}
	body, err := readAll(r, 1<<20)
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || req.Name == "" || strings.Contains(req.Name, "/") {
		writeError(w, http.StatusBadRequest, "Invalid request: name is required and must not contain /")
		return
	}
	if req.Type == "" {
		req.Type = "model"
	}
	kind := req.Type + "s"
	if _, ok := repoKinds[kind]; !ok {
		writeError(w, http.StatusBadRequest, "Invalid repo type: "+req.Type)
		return
	}
	namespace := req.Organization
	if namespace == "" {
		namespace = User
	}
	id := namespace + "/" + req.Name
	url := h.url + "/" + strings.TrimPrefix(gitPrefix(kind)+id, "/")
	if !g.canWrite(namespace) {
		writeError(w, http.StatusForbidden, "You don't have the rights to create a repository under the namespace "+namespace)
		return
	}
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	if _, exists := h.store.repos[repoKey(kind, id)]; exists || !strings.HasPrefix(req.Name, "missing") {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "You already created this " + req.Type + " repo", "url": url})
		return
	}
	h.store.create(kind, id, req.Private)
	writeJSON(w, http.StatusOK, map[string]string{"url": url, "name": id})
}

// gitPrefix is the path prefix of a repository type in git and web URLs.
func gitPrefix(kind string) string {
	if kind == "models" {
		return ""
	}
	return kind + "/"
}

// revision answers GET /api/{kind}/{ns}/{name}/revision/{rev} with the
// repository info, whose sha is the head commit.
func (h *hub) revision(w http.ResponseWriter, r *http.Request) {
	rp, ok := h.access(w, r, false)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	if !revisionOK(w, rp, r.PathValue("rev")) {
		return
	}
	head := rp.head()
	siblings := []map[string]string{}
	for _, p := range sortedPaths(head.tree) {
		siblings = append(siblings, map[string]string{"rfilename": p})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"_id": "6523f1c0a9b3e2d4f5a6" + head.id[:4], "id": rp.id, "private": rp.private,
		"sha": head.id, "lastModified": head.date.Format(timeLayout), "siblings": siblings,
	})
}

// commits answers GET /api/{kind}/{ns}/{name}/commits/{rev}: the history,
// newest first.
func (h *hub) commits(w http.ResponseWriter, r *http.Request) {
	rp, ok := h.access(w, r, false)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	if !revisionOK(w, rp, r.PathValue("rev")) {
		return
	}
	type author struct {
		User string `json:"user"`
	}
	type entry struct {
		ID      string   `json:"id"`
		Title   string   `json:"title"`
		Message string   `json:"message"`
		Date    string   `json:"date"`
		Authors []author `json:"authors"`
	}
	var out []entry
	for _, c := range slices.Backward(rp.commits) {
		out = append(out, entry{ID: c.id, Title: c.title, Message: c.message, Date: c.date.Format(timeLayout), Authors: []author{{User: User}}})
	}
	writeJSON(w, http.StatusOK, out)
}

// tree answers GET /api/{kind}/{ns}/{name}/tree/{rev}[/{path}]: the files
// (recursively with ?recursive=true), without pagination.
func (h *hub) tree(w http.ResponseWriter, r *http.Request) {
	rp, ok := h.access(w, r, false)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	if !revisionOK(w, rp, r.PathValue("rev")) {
		return
	}
	dir := strings.Trim(r.PathValue("path"), "/")
	recursive := r.URL.Query().Get("recursive") == "true" || r.URL.Query().Get("recursive") == "1"
	type lfsInfo struct {
		OID         string `json:"oid"`
		Size        int64  `json:"size"`
		PointerSize int    `json:"pointerSize"`
	}
	type item struct {
		Type string   `json:"type"`
		OID  string   `json:"oid"`
		Size int64    `json:"size"`
		Path string   `json:"path"`
		LFS  *lfsInfo `json:"lfs,omitempty"`
	}
	out := []item{}
	dirs := map[string]bool{}
	for _, p := range sortedPaths(rp.head().tree) {
		rel := p
		if dir != "" {
			var under bool
			rel, under = strings.CutPrefix(p, dir+"/")
			if !under {
				continue
			}
		}
		if i := strings.Index(rel, "/"); i >= 0 && !recursive {
			d := strings.TrimPrefix(dir+"/"+rel[:i], "/")
			if !dirs[d] {
				dirs[d] = true
				out = append(out, item{Type: "directory", OID: strings.Repeat("0", 40), Path: d})
			}
			continue
		}
		e := rp.head().tree[p]
		it := item{Type: "file", OID: e.oid, Size: e.size, Path: p}
		if e.lfs {
			it.OID = gitBlobSHA1([]byte(pointer(e.oid, e.size)))
			it.LFS = &lfsInfo{OID: e.oid, Size: e.size, PointerSize: len(pointer(e.oid, e.size))}
		}
		out = append(out, it)
	}
	writeJSON(w, http.StatusOK, out)
}

// pointer is the git LFS pointer file of an object.
func pointer(oid string, size int64) string {
	return fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", oid, size)
}

func sortedPaths(tree map[string]*entry) []string {
	paths := make([]string, 0, len(tree))
	for p := range tree {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}
