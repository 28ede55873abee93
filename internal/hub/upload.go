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
	"sync/atomic"

	"golang.org/x/sync/errgroup"
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

	// Told by Job.Run, one at a time, as its steps end.
	Created     func()      // the repository was created
	Planned     func(n int) // the Hub said how to upload the n files
	Transferred func()      // every file is decided and sent; the commit comes next
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
	g, ctx := errgroup.WithContext(ctx)
	hashed := make(chan *LocalFile, lfsBatchSize)
	g.Go(func() error {
		defer close(hashed)
		return u.hashAll(ctx, hashed)
	})
	g.Go(func() error { return u.sendAll(ctx, hashed) })
	return g.Wait()
}

// hashAll hashes the files, Hashers at a time, in order. It decides the
// files that need no upload (ignored, unchanged, regular) and hands the
// LFS ones to out.
func (u *Upload) hashAll(parent context.Context, out chan<- *LocalFile) error {
	hashers := u.Hashers
	if hashers <= 0 {
		hashers = 2
	}
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(hashers)
	stopped := false
	for _, f := range u.Files {
		if f.Action == Ignored {
			u.done(f, Ignored)
			continue
		}
		if ctx.Err() != nil {
			stopped = true
			break
		}
		g.Go(func() error {
			if err := u.hash(ctx, f); err != nil {
				return err
			}
			switch {
			case f.RemoteOID != "" && f.RemoteOID == f.OID:
				u.done(f, Unchanged)
			case !f.LFS:
				u.done(f, Inline)
			default:
				select {
				case out <- f:
				case <-ctx.Done():
					return context.Cause(ctx)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil || !stopped {
		return err
	}
	return context.Cause(parent) // stopped early: not every file was hashed
}

// sender sends the LFS objects of one Send: it asks the batch API about
// what is hashed so far and runs every storage request in one group,
// Parallel at a time, while hashing goes on.
type sender struct {
	u       *Upload
	storage *errgroup.Group

	mu sync.Mutex
	// Identical files share one object, sent once even when they are
	// hashed into different batches.
	objects map[string]*object
}

// object is one LFS object and the files that have its content.
type object struct {
	files  []*LocalFile
	action FileAction // Pending until it is stored or sent
}

func (u *Upload) sendAll(ctx context.Context, hashed <-chan *LocalFile) error {
	parallel := u.Parallel
	if parallel <= 0 {
		parallel = defaultParallel
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	storage, sctx := errgroup.WithContext(ctx)
	storage.SetLimit(parallel)
	s := &sender{u: u, storage: storage, objects: map[string]*object{}}
	err := s.batches(sctx, hashed)
	if err != nil {
		cancel() // stop the requests under way
	}
	werr := storage.Wait()
	if err != nil {
		return err
	}
	return werr
}

// batches takes what is hashed so far, up to a batch, and sends it, until
// hashing ends. It stops at the first error of its own or of the storage
// group (ctx is the group's).
func (s *sender) batches(ctx context.Context, hashed <-chan *LocalFile) error {
	for {
		var batch []*LocalFile
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case f, ok := <-hashed:
			if !ok {
				return nil
			}
			batch = append(batch, f)
		}
	drain:
		for len(batch) < lfsBatchSize {
			select {
			case f, ok := <-hashed:
				if !ok {
					break drain
				}
				batch = append(batch, f)
			default:
				break drain
			}
		}
		if err := s.batch(ctx, batch); err != nil {
			return err
		}
	}
}

// batch asks the batch API about the batch's new objects and starts
// sending those the Hub lacks.
func (s *sender) batch(ctx context.Context, batch []*LocalFile) error {
	if s.u.DryRun {
		for _, f := range batch {
			s.u.done(f, Uploaded)
		}
		return nil
	}
	ask := s.join(batch)
	if len(ask) == 0 {
		return nil
	}
	answers, err := s.u.Client.Batch(ctx, s.u.Repo, ask)
	if err != nil {
		return err
	}
	toSend := 0
	for _, a := range answers {
		if a.Upload != nil {
			toSend++
		}
	}
	if s.u.Events.Batch != nil {
		s.u.Events.Batch(len(answers), toSend)
	}
	for _, a := range answers {
		s.mu.Lock()
		o := s.objects[a.OID]
		s.mu.Unlock()
		if o == nil {
			return fmt.Errorf("LFS batch: the Hub answered about object %s, which was not asked about", short(a.OID))
		}
		if a.Upload == nil {
			s.finish(o, Stored)
			continue
		}
		if err := s.send(ctx, a, o); err != nil {
			return err
		}
	}
	return nil
}

// join records each file against its object and returns the objects not
// asked about yet. A file whose object is already decided is decided too.
func (s *sender) join(batch []*LocalFile) []Object {
	var ask []Object
	var decided []*LocalFile
	s.mu.Lock()
	for _, f := range batch {
		o, known := s.objects[f.OID]
		switch {
		case !known:
			s.objects[f.OID] = &object{files: []*LocalFile{f}}
			ask = append(ask, Object{OID: f.OID, Size: f.Size})
		case o.action != Pending:
			f.Action = o.action
			decided = append(decided, f)
		default:
			o.files = append(o.files, f)
		}
	}
	s.mu.Unlock()
	for _, f := range decided {
		s.u.done(f, f.Action)
	}
	return ask
}

// finish decides every file of the object.
func (s *sender) finish(o *object, a FileAction) {
	s.mu.Lock()
	o.action = a
	files := o.files
	s.mu.Unlock()
	for _, f := range files {
		s.u.done(f, a)
	}
}

// send puts each part of the object in the storage group; the part that
// finishes last completes the object.
func (s *sender) send(ctx context.Context, obj BatchObject, o *object) error {
	parts, err := partsOf(obj)
	if err != nil {
		return err
	}
	s.mu.Lock()
	first := o.files[0]
	s.mu.Unlock()
	src := FileSource(first.Abs)
	etags := make([]string, len(parts))
	var left atomic.Int64
	left.Store(int64(len(parts)))
	for i, p := range parts {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		s.storage.Go(func() error {
			etag, err := s.u.Client.putPart(ctx, obj, p, src)
			if err != nil {
				return err
			}
			etags[i] = etag
			if s.u.Events.Sent != nil {
				s.u.Events.Sent(first, p.n)
			}
			if left.Add(-1) > 0 {
				return nil
			}
			if err := s.u.Client.complete(ctx, obj, etags); err != nil {
				return err
			}
			s.finish(o, Uploaded)
			return nil
		})
	}
	return nil
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
