package hubtest

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// pending is an LFS upload the batch handed out: the storage accepts the
// object's bytes at its URLs until it is complete.
type pending struct {
	repo  *repo
	oid   string
	size  int64
	chunk int64          // part size; 0 for a basic upload
	parts map[int][]byte // received parts (nil slices in sink mode)
	etags map[int]string
}

var oidShape = regexp.MustCompile(`^[0-9a-f]{64}$`)

// batch answers the git LFS batch API
// (POST /{""|datasets/|spaces/}{ns}/{name}.git/info/lfs/objects/batch): an
// object the repository already has comes back without actions; others get
// a basic upload URL or, above the chunk size, multipart part URLs and a
// completion URL, plus a verify action.
func (h *hub) batch(w http.ResponseWriter, r *http.Request) {
	body, rp, ok := h.writeRequest(w, r, 16<<20)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	var req struct {
		Operation string   `json:"operation"`
		Transfers []string `json:"transfers"`
		HashAlgo  string   `json:"hash_algo"`
		Objects   []struct {
			OID  string `json:"oid"`
			Size int64  `json:"size"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Operation != "upload" {
		writeError(w, http.StatusBadRequest, "Invalid LFS batch request: want operation upload")
		return
	}
	// huggingface_hub sends "sha256", huggingface.js "sha_256".
	if req.HashAlgo != "" && req.HashAlgo != "sha256" && req.HashAlgo != "sha_256" {
		writeError(w, http.StatusConflict, "Unsupported hash algorithm "+req.HashAlgo)
		return
	}
	multipart := slices.Contains(req.Transfers, "multipart")
	type action struct {
		Href   string            `json:"href"`
		Header map[string]string `json:"header,omitempty"`
	}
	type objectOut struct {
		OID           string             `json:"oid"`
		Size          int64              `json:"size"`
		Authenticated bool               `json:"authenticated"`
		Actions       map[string]*action `json:"actions,omitempty"`
		Error         *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error,omitempty"`
	}
	out := struct {
		Transfer string      `json:"transfer"`
		Objects  []objectOut `json:"objects"`
		HashAlgo string      `json:"hash_algo"`
	}{Transfer: "basic", Objects: []objectOut{}, HashAlgo: "sha256"}
	verify := h.url + "/" + gitPrefix(rp.kind) + rp.id + ".git/info/lfs/objects/verify"
	for _, o := range req.Objects {
		obj := objectOut{OID: o.OID, Size: o.Size, Authenticated: true}
		switch {
		case !oidShape.MatchString(o.OID) || o.Size < 0:
			obj.Error = &struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}{422, "Invalid object: oid must be 64 hex digits and size not negative"}
		case rp.objects[o.OID] != nil && rp.objects[o.OID].size == o.Size:
			// Already stored: nothing to do, which is how clients resume.
		default:
			id := newID()
			p := &pending{repo: rp, oid: o.OID, size: o.Size, parts: map[int][]byte{}, etags: map[int]string{}}
			up := &action{Href: h.url + "/lfs-storage/" + id}
			if multipart && o.Size > h.opts.ChunkSize {
				p.chunk = h.opts.ChunkSize
				up.Header = map[string]string{"chunk_size": strconv.FormatInt(p.chunk, 10)}
				for n := 1; int64(n-1)*p.chunk < o.Size; n++ {
					up.Header[fmt.Sprintf("%05d", n)] = fmt.Sprintf("%s/lfs-storage/%s/%d", h.url, id, n)
				}
				up.Href = h.url + "/lfs-storage/" + id + "/complete"
			}
			h.upMu.Lock()
			h.uploads[id] = p
			h.upMu.Unlock()
			obj.Actions = map[string]*action{"upload": up, "verify": {Href: verify}}
		}
		out.Objects = append(out.Objects, obj)
	}
	w.Header().Set("Content-Type", "application/vnd.git-lfs+json")
	body, _ = json.Marshal(out)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// newID is an unguessable upload id, standing in for a presigned URL.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pendingUpload finds the upload of a storage URL, or answers 404.
func (h *hub) pendingUpload(w http.ResponseWriter, r *http.Request) (*pending, bool) {
	h.upMu.Lock()
	p := h.uploads[r.PathValue("id")]
	h.upMu.Unlock()
	if p == nil {
		writeStorageError(w, http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist.")
		return nil, false
	}
	track(r, p.oid, 0)
	return p, true
}

// writeStorageError answers like S3: an XML error document.
func writeStorageError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>\n", code, message)
}

// receive reads a body of exactly size bytes; in sink mode it keeps nothing.
func (h *hub) receive(r *http.Request, size int64) ([]byte, error) {
	if h.opts.Sink {
		// Large reads: io.Discard's own ReadFrom reads 8 KiB at a time,
		// which would make the fake, not the client, the bottleneck.
		buf := make([]byte, 1<<20)
		var n int64
		for {
			m, err := r.Body.Read(buf)
			n += int64(m)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if n > size {
				break
			}
		}
		if n != size {
			return nil, fmt.Errorf("got %d bytes, want %d", n, size)
		}
		return nil, nil
	}
	data, err := readAll(r, size)
	if err == nil && int64(len(data)) != size {
		err = fmt.Errorf("got %d bytes, want %d", len(data), size)
	}
	return data, err
}

// uploadBasic answers PUT /lfs-storage/{id}: the whole object at once.
func (h *hub) uploadBasic(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pendingUpload(w, r)
	if !ok {
		return
	}
	if p.chunk > 0 {
		writeStorageError(w, http.StatusBadRequest, "InvalidRequest", "This object is uploaded in parts.")
		return
	}
	data, err := h.receive(r, p.size)
	if err != nil {
		writeStorageError(w, http.StatusBadRequest, "IncompleteBody", err.Error())
		return
	}
	if !h.opts.Sink && hashOf(data) != p.oid {
		writeStorageError(w, http.StatusBadRequest, "BadDigest", "The content does not match the oid.")
		return
	}
	h.finish(p, data)
	w.Header().Set("ETag", `"`+p.oid[:32]+`"`)
	w.WriteHeader(http.StatusOK)
}

// uploadPart answers PUT /lfs-storage/{id}/{part}: one part of a multipart
// upload, with its ETag.
func (h *hub) uploadPart(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pendingUpload(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("part"))
	parts := int((p.size + p.chunk - 1) / max(p.chunk, 1))
	if err != nil || p.chunk == 0 || n < 1 || n > parts {
		writeStorageError(w, http.StatusBadRequest, "InvalidPart", "No such part.")
		return
	}
	track(r, p.oid, n)
	size := min(p.chunk, p.size-int64(n-1)*p.chunk)
	data, err := h.receive(r, size)
	if err != nil {
		writeStorageError(w, http.StatusBadRequest, "IncompleteBody", err.Error())
		return
	}
	etag := fmt.Sprintf(`"part-%d-%d"`, n, size)
	if !h.opts.Sink {
		sum := md5.Sum(data)
		etag = `"` + hex.EncodeToString(sum[:]) + `"`
	}
	h.upMu.Lock()
	p.parts[n], p.etags[n] = data, etag
	h.upMu.Unlock()
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}

// complete answers POST /lfs-storage/{id}/complete: every part with the
// ETag it was given, then the object is stored if its sha256 is the oid.
func (h *hub) complete(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pendingUpload(w, r)
	if !ok {
		return
	}
	body, err := readAll(r, 1<<20)
	var req struct {
		OID   string `json:"oid"`
		Parts []struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		} `json:"parts"`
	}
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || req.OID != p.oid {
		writeError(w, http.StatusBadRequest, "Invalid completion: want {oid, parts}")
		return
	}
	h.upMu.Lock()
	want := int((p.size + p.chunk - 1) / p.chunk)
	var missing []int
	for n := 1; n <= want; n++ {
		i := slices.IndexFunc(req.Parts, func(q struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		}) bool {
			return q.PartNumber == n
		})
		if i < 0 || p.etags[n] == "" || req.Parts[i].ETag != p.etags[n] {
			missing = append(missing, n)
		}
	}
	var data []byte
	if len(missing) == 0 && !h.opts.Sink {
		data = make([]byte, 0, p.size)
		for n := 1; n <= want; n++ {
			data = append(data, p.parts[n]...)
		}
	}
	h.upMu.Unlock()
	if len(missing) > 0 {
		writeStorageError(w, http.StatusBadRequest, "InvalidPart", fmt.Sprintf("Parts %v were not uploaded or their ETag does not match.", missing))
		return
	}
	if !h.opts.Sink && hashOf(data) != p.oid {
		writeStorageError(w, http.StatusBadRequest, "BadDigest", "The content does not match the oid.")
		return
	}
	h.finish(p, data)
	writeJSON(w, http.StatusOK, struct{}{})
}

// finish stores a complete object in its repository. The upload URLs stay
// valid, as presigned URLs do until they expire, so a client whose answer
// was lost can send again.
func (h *hub) finish(p *pending, data []byte) {
	h.store.mu.Lock()
	p.repo.objects[p.oid] = &object{size: p.size, data: data}
	h.store.mu.Unlock()
}

// verify answers the LFS verify action: 200 when the object is stored with
// that size, 404 otherwise.
func (h *hub) verify(w http.ResponseWriter, r *http.Request) {
	body, rp, ok := h.writeRequest(w, r, 1<<20)
	if !ok {
		return
	}
	defer h.store.mu.Unlock()
	var req struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON body")
		return
	}
	track(r, req.OID, 0)
	if o := rp.objects[req.OID]; o == nil || o.size != req.Size {
		writeError(w, http.StatusNotFound, "Object not found: "+req.OID)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Object verified"})
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
