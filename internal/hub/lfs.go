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
	"sync"
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

// Transfer sends an object's bytes as the batch API said: basic or
// multipart, then verify. Each part is retried on its own; sent is told of
// every part (or whole object) the storage has accepted. slots bounds the
// concurrent storage requests across every Transfer that shares it.
func (c *Client) Transfer(ctx context.Context, obj BatchObject, src Source, slots chan struct{}, sent func(n int64)) error {
	if obj.Upload == nil {
		return nil
	}
	if sent == nil {
		sent = func(int64) {}
	}
	if cs, ok := obj.Upload.Header["chunk_size"]; ok {
		chunk, err := strconv.ParseInt(cs, 10, 64)
		if err != nil || chunk <= 0 {
			return fmt.Errorf("LFS upload of %s: the Hub sent chunk_size %q", obj.OID, cs)
		}
		if err := c.multipart(ctx, obj, chunk, src, slots, sent); err != nil {
			return err
		}
	} else {
		if err := acquire(ctx, slots); err != nil {
			return err
		}
		err := c.put(ctx, "LFS upload of "+short(obj.OID), obj.Upload.Href, obj.Upload.Header, src, 0, obj.Size)
		release(slots)
		if err != nil {
			return err
		}
		sent(obj.Size)
	}
	if obj.Verify != nil {
		body, err := jsonBody(obj.Object)
		if err != nil {
			return err
		}
		return c.jsonCall(ctx, request{op: "LFS verify of " + short(obj.OID), method: http.MethodPost, url: obj.Verify.Href,
			contentType: "application/vnd.git-lfs+json", accept: "application/vnd.git-lfs+json",
			auth: c.onEndpoint(obj.Verify.Href), header: obj.Verify.Header, body: body}, nil)
	}
	return nil
}

// put sends n bytes of src from off with PUT and returns the ETag.
func (c *Client) put(ctx context.Context, op, href string, header map[string]string, src Source, off, n int64) error {
	_, err := c.putETag(ctx, op, href, header, src, off, n)
	return err
}

func (c *Client) putETag(ctx context.Context, op, href string, header map[string]string, src Source, off, n int64) (string, error) {
	// Storage URLs are presigned: the token never goes with the bytes.
	rq := request{op: op, method: http.MethodPut, url: href, header: plainHeaders(header), timeout: c.uploadTimeout(n),
		body: func() (io.Reader, int64, error) {
			rc, err := src.Section(off, n)
			return rc, n, err
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
	return resp.Header.Get("ETag"), nil
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

// multipart sends every part in parallel, each retried on its own, then
// completes the upload with the ETags.
func (c *Client) multipart(ctx context.Context, obj BatchObject, chunk int64, src Source, slots chan struct{}, sent func(int64)) error {
	var urls []string
	for n := 1; ; n++ {
		u, ok := obj.Upload.Header[fmt.Sprintf("%05d", n)]
		if !ok {
			break
		}
		urls = append(urls, u)
	}
	if want := (obj.Size + chunk - 1) / chunk; int64(len(urls)) != want {
		return fmt.Errorf("LFS upload of %s: the Hub sent %d part URLs for %d parts", short(obj.OID), len(urls), want)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type part struct {
		PartNumber int    `json:"partNumber"`
		ETag       string `json:"etag"`
	}
	parts := make([]part, len(urls))
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for i, u := range urls {
		if err := acquire(ctx, slots); err != nil {
			break
		}
		wg.Go(func() {
			defer release(slots)
			off := int64(i) * chunk
			n := min(chunk, obj.Size-off)
			etag, err := c.putETag(ctx, fmt.Sprintf("LFS upload of %s part %d/%d", short(obj.OID), i+1, len(urls)), u, nil, src, off, n)
			if err == nil && etag == "" {
				err = fmt.Errorf("LFS upload of %s part %d: the storage sent no ETag", short(obj.OID), i+1)
			}
			if err != nil {
				once.Do(func() { firstErr = err; cancel(err) })
				return
			}
			parts[i] = part{i + 1, etag}
			sent(n)
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	body, err := jsonBody(map[string]any{"oid": obj.OID, "parts": parts})
	if err != nil {
		return err
	}
	return c.jsonCall(ctx, request{op: "LFS completion of " + short(obj.OID), method: http.MethodPost, url: obj.Upload.Href,
		contentType: "application/vnd.git-lfs+json", accept: "application/vnd.git-lfs+json",
		header: plainHeaders(obj.Upload.Header), body: body}, nil)
}

func acquire(ctx context.Context, slots chan struct{}) error {
	if slots == nil {
		return ctx.Err()
	}
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release(slots chan struct{}) {
	if slots != nil {
		<-slots
	}
}

// short is the start of an oid, for messages.
func short(oid string) string {
	if len(oid) > 12 {
		return oid[:12]
	}
	return oid
}
