package hub

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
)

// PreuploadFile is what preupload needs to know of a file.
type PreuploadFile struct {
	Path   string // in the repository
	Size   int64
	Sample []byte // the first 512 bytes
}

// PreuploadResult is the Hub's decision for one file.
type PreuploadResult struct {
	Path         string
	LFS          bool   // upload mode lfs, else regular (inline in the commit)
	ShouldIgnore bool   // the repository's .gitignore ignores it
	RemoteOID    string // the file already at that path: sha256 for LFS, git blob sha1 for regular
}

// preuploadBatch is the most files the Hub takes in one preupload request.
const preuploadBatch = 256

// RepoRules are the .gitattributes and .gitignore the commit will bring, so
// the Hub decides on them rather than on the ones the branch has now.
type RepoRules struct {
	GitAttributes, GitIgnore string
}

// Preupload asks the Hub how each file must be uploaded, in batches of 256.
// Results come in the order of files.
func (c *Client) Preupload(ctx context.Context, r Repo, files []PreuploadFile, rules RepoRules) ([]PreuploadResult, error) {
	out := make([]PreuploadResult, 0, len(files))
	for chunk := range slices.Chunk(files, preuploadBatch) {
		type file struct {
			Path   string `json:"path"`
			Size   int64  `json:"size"`
			Sample string `json:"sample"`
		}
		payload := struct {
			GitAttributes string `json:"gitAttributes,omitempty"`
			GitIgnore     string `json:"gitIgnore,omitempty"`
			Files         []file `json:"files"`
		}{GitAttributes: rules.GitAttributes, GitIgnore: rules.GitIgnore}
		for _, f := range chunk {
			payload.Files = append(payload.Files, file{f.Path, f.Size, base64.StdEncoding.EncodeToString(f.Sample)})
		}
		body, err := jsonBody(payload)
		if err != nil {
			return nil, err
		}
		var answer struct {
			Files []struct {
				Path         string `json:"path"`
				UploadMode   string `json:"uploadMode"`
				ShouldIgnore bool   `json:"shouldIgnore"`
				OID          string `json:"oid"`
			} `json:"files"`
		}
		err = c.jsonCall(ctx, request{op: "preupload", method: http.MethodPost,
			url:         c.Endpoint + r.api() + "/preupload/" + url.PathEscape(r.rev()),
			contentType: "application/json", auth: true, body: body}, &answer)
		if err != nil {
			return nil, err
		}
		byPath := map[string]int{}
		for i, a := range answer.Files {
			byPath[a.Path] = i
		}
		for _, f := range chunk {
			i, ok := byPath[f.Path]
			if !ok {
				return nil, fmt.Errorf("preupload: the Hub's answer lacks %s", f.Path)
			}
			a := answer.Files[i]
			// Empty files are always regular, whatever the Hub says.
			out = append(out, PreuploadResult{Path: f.Path, LFS: a.UploadMode == "lfs" && f.Size > 0,
				ShouldIgnore: a.ShouldIgnore, RemoteOID: a.OID})
		}
	}
	return out, nil
}

// Object is an LFS object: its sha256 and size.
type Object struct {
	OID  string `json:"oid"`
	Size int64  `json:"size"`
}

// Action is a URL the batch API hands out, with the headers to send.
type Action struct {
	Href   string            `json:"href"`
	Header map[string]string `json:"header"`
}

// BatchObject is the batch API's answer for one object. An object without
// Upload is already stored: there is nothing to send.
type BatchObject struct {
	Object
	Upload *Action
	Verify *Action
}

// Batch asks the LFS batch API where to upload the objects.
func (c *Client) Batch(ctx context.Context, r Repo, objects []Object) ([]BatchObject, error) {
	payload := map[string]any{
		"operation": "upload", "transfers": []string{"basic", "multipart"},
		"objects": objects, "hash_algo": "sha256", "ref": map[string]string{"name": r.rev()},
	}
	body, err := jsonBody(payload)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Objects []struct {
			Object
			Actions map[string]*Action `json:"actions"`
			Error   *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		} `json:"objects"`
	}
	err = c.jsonCall(ctx, request{op: "LFS batch", method: http.MethodPost, url: c.Endpoint + r.git() + "/info/lfs/objects/batch",
		contentType: "application/vnd.git-lfs+json", accept: "application/vnd.git-lfs+json", auth: true, body: body}, &answer)
	if err != nil {
		return nil, err
	}
	var out []BatchObject
	for _, o := range answer.Objects {
		if o.Error != nil {
			return nil, &Error{Op: "LFS batch", StatusCode: o.Error.Code, Message: fmt.Sprintf("object %s: %s", o.OID, o.Error.Message)}
		}
		out = append(out, BatchObject{Object: o.Object, Upload: o.Actions["upload"], Verify: o.Actions["verify"]})
	}
	if len(out) != len(objects) {
		return nil, fmt.Errorf("LFS batch: asked about %d objects, the Hub answered about %d", len(objects), len(out))
	}
	return out, nil
}

// Source is content that can be read again from any offset, so that every
// attempt of every part gets a fresh reader.
type Source interface {
	Section(off, n int64) (io.ReadCloser, error)
}

// FileSource is a file on disk, opened anew for every read.
type FileSource string

// Section opens the file and returns n bytes from off.
func (f FileSource) Section(off, n int64) (io.ReadCloser, error) {
	fh, err := os.Open(string(f))
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(fh, off, n), fh}, nil
}

// defaultParallel is how many storage requests run at once by default.
const defaultParallel = 8

// part is one PUT of an object's bytes: the whole object (basic transfer)
// or one chunk of it (multipart).
type part struct {
	number int // from 1; 0 for a basic transfer
	of     int // how many parts the object has
	href   string
	header map[string]string
	off, n int64
}

// partsOf splits an object to send into its PUT requests, as the batch API
// said: one basic PUT, or, when the upload action has a chunk_size, one PUT
// per chunk to the URLs under the header keys "00001", "00002", ….
func partsOf(obj BatchObject) ([]part, error) {
	h := obj.Upload.Header
	cs, multipart := h["chunk_size"]
	if !multipart {
		return []part{{href: obj.Upload.Href, header: plainHeaders(h), of: 1, n: obj.Size}}, nil
	}
	chunk, err := strconv.ParseInt(cs, 10, 64)
	if err != nil || chunk <= 0 {
		return nil, fmt.Errorf("LFS upload of %s: the Hub sent chunk_size %q", short(obj.OID), cs)
	}
	var urls []string
	for n := 1; ; n++ {
		u, ok := h[fmt.Sprintf("%05d", n)]
		if !ok {
			break
		}
		urls = append(urls, u)
	}
	if want := (obj.Size + chunk - 1) / chunk; int64(len(urls)) != want {
		return nil, fmt.Errorf("LFS upload of %s: the Hub sent %d part URLs for %d parts", short(obj.OID), len(urls), want)
	}
	parts := make([]part, len(urls))
	for i, u := range urls {
		off := int64(i) * chunk
		parts[i] = part{number: i + 1, of: len(urls), href: u, off: off, n: min(chunk, obj.Size-off)}
	}
	return parts, nil
}

// putPart sends one part of obj from src and returns the storage's ETag,
// which a multipart completion needs. Storage URLs are presigned: the
// token never goes with the bytes.
func (c *Client) putPart(ctx context.Context, obj BatchObject, p part, src Source) (string, error) {
	op := "LFS upload of " + short(obj.OID)
	if p.number > 0 {
		op += fmt.Sprintf(" part %d/%d", p.number, p.of)
	}
	rq := request{op: op, method: http.MethodPut, url: p.href, header: p.header, timeout: c.uploadTimeout(p.n),
		body: func() (io.Reader, int64, error) {
			rc, err := src.Section(p.off, p.n)
			return rc, p.n, err
		}}
	resp, err := c.send(ctx, rq)
	if err != nil {
		return "", err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", apiError(op, resp)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if p.number > 0 && etag == "" {
		return "", fmt.Errorf("%s: the storage sent no ETag", op)
	}
	return etag, nil
}

// complete finishes an object whose parts are all stored: the multipart
// completion with the parts' ETags, then the verify action if the Hub
// asked for one.
func (c *Client) complete(ctx context.Context, obj BatchObject, etags []string) error {
	if _, multipart := obj.Upload.Header["chunk_size"]; multipart {
		type partDone struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		}
		parts := make([]partDone, len(etags))
		for i, e := range etags {
			parts[i] = partDone{i + 1, e}
		}
		body, err := jsonBody(map[string]any{"oid": obj.OID, "parts": parts})
		if err != nil {
			return err
		}
		err = c.jsonCall(ctx, request{op: "LFS completion of " + short(obj.OID), method: http.MethodPost, url: obj.Upload.Href,
			contentType: "application/vnd.git-lfs+json", accept: "application/vnd.git-lfs+json",
			header: plainHeaders(obj.Upload.Header), body: body}, nil)
		if err != nil {
			return err
		}
	}
	if obj.Verify == nil {
		return nil
	}
	body, err := jsonBody(obj.Object)
	if err != nil {
		return err
	}
	return c.jsonCall(ctx, request{op: "LFS verify of " + short(obj.OID), method: http.MethodPost, url: obj.Verify.Href,
		contentType: "application/vnd.git-lfs+json", accept: "application/vnd.git-lfs+json",
		auth: c.onEndpoint(obj.Verify.Href), header: obj.Verify.Header, body: body}, nil)
}

// plainHeaders drops the multipart bookkeeping keys (chunk_size, 00001…)
// from the headers to send.
func plainHeaders(h map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if k == "chunk_size" || isPartKey(k) {
			continue
		}
		out[k] = v
	}
	return out
}

func isPartKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// short is the start of an oid, for messages.
func short(oid string) string {
	if len(oid) > 12 {
		return oid[:12]
	}
	return oid
}
