package hub

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
)

// Action is what an upload did with one file.
type FileAction string

// What happens to a file.
const (
	Pending   FileAction = ""          // not decided yet
	Uploaded  FileAction = "uploaded"  // LFS object sent to the storage
	Stored    FileAction = "stored"    // LFS object already on the Hub (an earlier, interrupted run sent it)
	Inline    FileAction = "inline"    // regular file, sent inside the commit
	Unchanged FileAction = "unchanged" // the same content is already at that path: skipped
	Ignored   FileAction = "ignored"   // the repository's .gitignore ignores it
	Deleted   FileAction = "deleted"   // removed from the repository (--delete)
)

// LocalFile is one file to upload.
type LocalFile struct {
	Path string // in the repository, with /
	Abs  string // on disk
	Size int64

	// Set by Plan.
	LFS       bool
	RemoteOID string
	// Set by Send: sha256 for LFS files, the git blob sha1 for regular ones.
	OID    string
	Action FileAction
}

// Events tell the caller how an upload goes. Any may be nil. They are
// called from several goroutines at once.
type Events struct {
	Hashed func(f *LocalFile, n int64) // n more bytes of f hashed
	Sent   func(f *LocalFile, n int64) // n more bytes of f accepted by the storage
	Done   func(f *LocalFile)          // f's Action is decided
	Batch  func(objects, toSend int)   // an LFS batch answered: how many of its objects must be sent
}

// Upload is one upload to one branch: plan, send, commit.
type Upload struct {
	Client  *Client
	Repo    Repo
	Files   []*LocalFile
	Events  Events
	Hashers int // files hashed at once; 0 is 2
	// Parallel is how many storage requests (parts) run at once; 0 is 8.
	Parallel int
	// DryRun hashes but sends nothing: LFS files that would be sent are
	// marked Uploaded without asking the batch API.
	DryRun bool
}

// sampleSize is how much of a file preupload looks at.
const sampleSize = 512

// Plan asks the Hub how each file must be uploaded (preupload). Nothing is
// hashed yet: a file the Hub ignores is never read past its sample.
func (u *Upload) Plan(ctx context.Context) error {
	pre := make([]PreuploadFile, len(u.Files))
	for i, f := range u.Files {
		sample, err := readSample(f.Abs)
		if err != nil {
			return err
		}
		pre[i] = PreuploadFile{Path: f.Path, Size: f.Size, Sample: sample}
	}
	var rules RepoRules
	for _, f := range u.Files {
		var into *string
		switch f.Path {
		case ".gitattributes":
			into = &rules.GitAttributes
		case ".gitignore":
			into = &rules.GitIgnore
		default:
			continue
		}
		data, err := os.ReadFile(f.Abs)
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", f.Abs, err)
		}
		*into = string(data)
	}
	answers, err := u.Client.Preupload(ctx, u.Repo, pre, rules)
	if err != nil {
		return err
	}
	for i, a := range answers {
		f := u.Files[i]
		f.LFS, f.RemoteOID = a.LFS, a.RemoteOID
		if a.ShouldIgnore {
			f.Action = Ignored
		}
	}
	return nil
}

func readSample(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	buf := make([]byte, sampleSize)
	n, err := io.ReadFull(fh, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("failed to read %s: %w", path, err)
	}
	return buf[:n], nil
}

// lfsBatchSize is the most objects asked about in one batch request.
const lfsBatchSize = 100

// Send hashes every file not ignored and uploads the LFS objects the Hub
// does not have yet, hashing and uploading at the same time. It decides
// every file's Action; nothing is committed. On error (or ctx ending) it
// stops everything it started and returns the first error.
func (u *Upload) Send(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	fail := func(err error) { cancel(err) }

	hashers := u.Hashers
	if hashers <= 0 {
		hashers = 2
	}
	parallel := u.Parallel
	if parallel <= 0 {
		parallel = defaultParallel
	}
	slots := make(chan struct{}, parallel)

	todo := make(chan *LocalFile)
	hashed := make(chan *LocalFile, lfsBatchSize)
	go func() {
		defer close(todo)
		for _, f := range u.Files {
			if f.Action == Ignored {
				u.done(f, Ignored)
				continue
			}
			select {
			case todo <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	var hashing sync.WaitGroup
	for range hashers {
		hashing.Go(func() {
			for f := range todo {
				if err := u.hash(ctx, f); err != nil {
					fail(err)
					return
				}
				if f.RemoteOID != "" && f.RemoteOID == f.OID {
					u.done(f, Unchanged)
					continue
				}
				if !f.LFS {
					u.done(f, Inline)
					continue
				}
				select {
				case hashed <- f:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { hashing.Wait(); close(hashed) }()

	// Batch what is hashed so far, then send it while hashing goes on.
	// Identical files share one object, sent once even when they are
	// hashed into different batches.
	var sending sync.WaitGroup
	var objMu sync.Mutex
	objects := map[string]*object{}
	finishObject := func(o *object, a FileAction) {
		objMu.Lock()
		o.action = a
		files := o.files
		objMu.Unlock()
		for _, g := range files {
			u.done(g, a)
		}
	}
	for f := range hashed {
		batch := []*LocalFile{f}
	drain:
		for len(batch) < lfsBatchSize {
			select {
			case g, ok := <-hashed:
				if !ok {
					break drain
				}
				batch = append(batch, g)
			default:
				break drain
			}
		}
		if ctx.Err() != nil {
			continue // drain the channel so the hashers can finish
		}
		if u.DryRun {
			for _, b := range batch {
				u.done(b, Uploaded)
			}
			continue
		}
		// Files whose object is already known join it.
		var ask []Object
		var already []*LocalFile
		objMu.Lock()
		for _, b := range batch {
			o, known := objects[b.OID]
			switch {
			case !known:
				objects[b.OID] = &object{files: []*LocalFile{b}}
				ask = append(ask, Object{OID: b.OID, Size: b.Size})
			case o.action != Pending:
				b.Action = o.action
				already = append(already, b)
			default:
				o.files = append(o.files, b)
			}
		}
		objMu.Unlock()
		for _, b := range already {
			u.done(b, b.Action)
		}
		if len(ask) == 0 {
			continue
		}
		answers, err := u.Client.Batch(ctx, u.Repo, ask)
		if err != nil {
			fail(err)
			continue
		}
		toSend := 0
		for _, a := range answers {
			if a.Upload != nil {
				toSend++
			}
		}
		if u.Events.Batch != nil {
			u.Events.Batch(len(answers), toSend)
		}
		for _, a := range answers {
			objMu.Lock()
			o := objects[a.OID]
			objMu.Unlock()
			if o == nil {
				fail(fmt.Errorf("LFS batch: the Hub answered about object %s, which was not asked about", short(a.OID)))
				break
			}
			if a.Upload == nil {
				finishObject(o, Stored)
				continue
			}
			first := o.files[0]
			sending.Go(func() {
				err := u.Client.Transfer(ctx, a, FileSource(first.Abs), slots, func(n int64) {
					if u.Events.Sent != nil {
						u.Events.Sent(first, n)
					}
				})
				if err != nil {
					fail(err)
					return
				}
				finishObject(o, Uploaded)
			})
		}
	}
	sending.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// object is one LFS object and the files that have its content.
type object struct {
	files  []*LocalFile
	action FileAction // Pending until it is stored or sent
}

func (u *Upload) done(f *LocalFile, a FileAction) {
	f.Action = a
	if u.Events.Done != nil {
		u.Events.Done(f)
	}
}

// bufPool holds the read buffers of the hashers: memory stays bounded by
// the number of hashers, whatever the file sizes.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}

// hash computes f's oid while reading it once: sha256 for LFS, the git
// blob sha1 for regular files.
func (u *Upload) hash(ctx context.Context, f *LocalFile) error {
	fh, err := os.Open(f.Abs)
	if err != nil {
		return fmt.Errorf("failed to open %s: %w", f.Abs, err)
	}
	defer fh.Close()
	var h hash.Hash
	if f.LFS {
		h = sha256.New()
	} else {
		h = sha1.New()
		fmt.Fprintf(h, "blob %d\x00", f.Size)
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		n, err := fh.Read(*bp)
		if n > 0 {
			h.Write((*bp)[:n])
			total += int64(n)
			if u.Events.Hashed != nil {
				u.Events.Hashed(f, int64(n))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", f.Abs, err)
		}
	}
	if total != f.Size {
		return fmt.Errorf("%s changed during the upload: it has %d bytes, not %d", f.Abs, total, f.Size)
	}
	f.OID = hex.EncodeToString(h.Sum(nil))
	return nil
}

// Operations are the commit's changes: every file sent or stored, and the
// deletions asked for. Unchanged and ignored files are left out.
func (u *Upload) Operations(deletes []string) []Operation {
	var ops []Operation
	for _, f := range u.Files {
		switch f.Action {
		case Uploaded, Stored:
			ops = append(ops, Operation{Path: f.Path, LFS: true, OID: f.OID, Size: f.Size})
		case Inline:
			ops = append(ops, Operation{Path: f.Path, Size: f.Size, Content: FileSource(f.Abs)})
		}
	}
	for _, p := range deletes {
		ops = append(ops, Operation{Path: p, Delete: true})
	}
	return ops
}
