// Package gitrepo is fast, read-only access to a git repository for secret
// scanning: opening from any subdirectory or linked worktree, commits, trees
// parsed once and cached, blobs, the index, and the diffs secretscan needs
// (trees compared by hash, added lines of a file). It is built on go-git's
// storage, kept open (KeepDescriptors) so pack files are not reopened per
// object. A Repo is not safe for concurrent use: open one per worker.
package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNotRepository is a path that is not inside a git repository.
var ErrNotRepository = errors.New("not a git repository")

// ErrMissingObject is an object the repository should hold but does not
// (a corrupt repository, or history cut off by a shallow clone).
var ErrMissingObject = errors.New("missing object")

// ErrCorrupt is an object the repository holds but that cannot be decoded.
var ErrCorrupt = errors.New("corrupt object")

// ErrShallow is history that ends at a shallow clone's boundary.
var ErrShallow = errors.New("shallow clone")

// ErrUseGit is a repository the fast reader does not read natively (SHA-256
// object ids): callers hand it to git's plumbing instead. Open wraps it with
// the reason.
var ErrUseGit = errors.New("repository needs git's own reader")

// Hash is a git object id.
type Hash = plumbing.Hash

// ZeroHash is the hash of no object.
var ZeroHash = plumbing.ZeroHash

// ParseHash reads a full hexadecimal object id.
func ParseHash(s string) (Hash, bool) {
	if !plumbing.IsHash(s) {
		return ZeroHash, false
	}
	return plumbing.NewHash(s), true
}

// Options size a Repo's caches.
type Options struct {
	// ObjectCache is the byte budget of objects rebuilt from pack files,
	// delta bases included (0 means 32 MiB).
	ObjectCache int64
	// TreeCache is the byte budget of tree objects kept by id (0 means 32
	// MiB).
	TreeCache int64
	// Shared, when set, is the object cache instead of one of ObjectCache
	// bytes: Repos reading the same history side by side share it.
	Shared *Cache
	// SharedTrees, when set, is the tree cache instead of one of TreeCache
	// bytes.
	SharedTrees *TreeCache
}

// Repo is an open repository.
type Repo struct {
	// Root is the work tree's top directory; empty for a bare repository.
	Root string
	// GitDir is the repository directory of this work tree (.git, or
	// .git/worktrees/NAME for a linked worktree).
	GitDir string

	st       *filesystem.Storage
	objDirs  []string // object directories: the repository's, then its alternates
	packs    *packs
	refs     *refStore
	reftable bool    // refs are read through git
	promisor *string // the partial clone's promisor remote ("" if none), once read
	trees    *TreeCache
	commits  map[Hash]*Commit // recently read, for parents read again
	shallow  map[Hash]bool
	reader   *atomic.Uint64 // its hold on a recycling cache (recycle.go)
}

// Open opens the repository holding path (a work tree directory at any
// depth, a linked worktree, or a bare repository), honouring GIT_DIR,
// GIT_WORK_TREE, GIT_COMMON_DIR, core.worktree and core.bare as git does.
// A repository needing features this reader lacks is refused: SHA-256 ids
// with an error wrapping ErrUseGit, an unknown extension with one naming
// it.
func Open(path string, o Options) (*Repo, error) {
	if o.ObjectCache <= 0 {
		o.ObjectCache = 32 << 20
	}
	if o.TreeCache <= 0 {
		o.TreeCache = 32 << 20
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	loc, err := locate(abs)
	if err != nil {
		return nil, err
	}
	reftable, err := loc.config.check(loc.gitDir)
	if err != nil {
		return nil, err
	}
	var fs billy.Filesystem = osfs.New(loc.gitDir)
	objects := filepath.Join(loc.common, "objects")
	if loc.common != loc.gitDir {
		fs = dotgit.NewRepositoryFilesystem(fs, osfs.New(loc.common))
	}
	// go-git's cache serves commits and loose objects only: packed trees
	// and blobs go through packs, with the bigger budget.
	st := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(8<<20), filesystem.Options{KeepDescriptors: true})
	r := &Repo{Root: loc.root, GitDir: loc.gitDir, st: st, trees: o.SharedTrees}
	if r.trees == nil {
		r.trees = NewTreeCache(o.TreeCache)
	}
	r.refs = &refStore{gitDir: loc.gitDir, common: loc.common}
	r.reftable = reftable
	if r.objDirs, err = objectDirs(objects); err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	cache := o.Shared
	if cache == nil {
		cache = NewCache(o.ObjectCache)
	}
	r.packs = newPacks(cache)
	r.packs.scan(r.objDirs)
	r.reader = cache.addReader()
	return r, nil
}

// Close releases the pack files kept open.
func (r *Repo) Close() error {
	r.packs.cache.removeReader(r.reader)
	r.packs.close()
	return r.st.Close()
}

// PackBytes is the size of the pack files mapped, alternates' included.
func (r *Repo) PackBytes() int64 {
	var n int64
	for _, pk := range r.packs.files {
		n += int64(len(pk.data))
	}
	return n
}

// MergeHeads returns the commits of a merge in progress (MERGE_HEAD).
func (r *Repo) MergeHeads() ([]Hash, error) {
	b, err := os.ReadFile(filepath.Join(r.GitDir, "MERGE_HEAD"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var hs []Hash
	for _, f := range strings.Fields(string(b)) {
		if plumbing.IsHash(f) {
			hs = append(hs, plumbing.NewHash(f))
		}
	}
	return hs, nil
}

// Shallow reports whether h is a commit at a shallow clone's boundary
// (its parents are not in the repository).
func (r *Repo) Shallow(h Hash) bool {
	if r.shallow == nil {
		r.shallow = map[Hash]bool{}
		hs, _ := r.st.Shallow()
		for _, s := range hs {
			r.shallow[s] = true
		}
	}
	return r.shallow[h]
}

// Commit is what secretscan needs of a commit.
type Commit struct {
	Hash    Hash
	Tree    Hash
	Parents []Hash
	Author  string
	Email   string
	When    time.Time // author date
	Commit  time.Time // committer date
	// ParentTrees are the parents' trees, in the order of Parents, when
	// the walk that handed out the commit read them (Repo.Commits without
	// exclusions); zero where a parent could not be read. Else nil.
	ParentTrees []Hash
}

// Commit reads commit h. The result is shared: do not modify it.
func (r *Repo) Commit(h Hash) (*Commit, error) {
	if c, ok := r.commits[h]; ok {
		return c, nil
	}
	b, err := r.object(h, plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	c, err := parseCommit(b)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	c.Hash = h
	if r.commits == nil || len(r.commits) >= 4096 {
		r.commits = make(map[Hash]*Commit, 64)
	}
	r.commits[h] = c
	return c, nil
}

// parseCommit reads the headers secretscan needs as git reads them: the
// tree on the first line, the parents on the lines right after it, then
// author and committer (name, email, date). A "parent" line anywhere else
// is no parent to git, nor here; a commit whose first line is not its tree
// is corrupt, as git says ("bogus commit object"). The message is not
// needed.
func parseCommit(b []byte) (*Commit, error) {
	c := &Commit{}
	line, b := cutLine(b)
	tree, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !plumbing.IsHash(string(tree)) {
		return nil, errors.New("no tree on the first line")
	}
	c.Tree = plumbing.NewHash(string(tree))
	for {
		line, rest := cutLine(b)
		parent, ok := bytes.CutPrefix(line, []byte("parent "))
		if !ok {
			break
		}
		if !plumbing.IsHash(string(parent)) {
			return nil, errors.New("corrupt parent line")
		}
		c.Parents = append(c.Parents, plumbing.NewHash(string(parent)))
		b = rest
	}
	for len(b) > 0 {
		line, b = cutLine(b)
		if len(line) == 0 {
			break // end of headers
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "author":
			c.Author, c.Email, c.When = parseSignature(val)
		case "committer":
			_, _, c.Commit = parseSignature(val)
		}
	}
	return c, nil
}

// cutLine returns b's first line, without its newline, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	line, rest, _ = bytes.Cut(b, []byte{'\n'})
	return line, rest
}

// parseSignature reads "Name <email> 1700000000 +0100".
func parseSignature(b []byte) (name, email string, when time.Time) {
	lt := bytes.LastIndexByte(b, '<')
	gt := bytes.LastIndexByte(b, '>')
	if lt < 0 || gt < lt {
		return string(bytes.TrimSpace(b)), "", time.Time{}
	}
	name = string(bytes.TrimSpace(b[:lt]))
	email = string(b[lt+1 : gt])
	f := bytes.Fields(b[gt+1:])
	if len(f) >= 1 {
		if sec, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil {
			loc := time.UTC
			if len(f) >= 2 && len(f[1]) == 5 {
				if hh, err := strconv.Atoi(string(f[1][1:3])); err == nil {
					if mm, err := strconv.Atoi(string(f[1][3:5])); err == nil {
						off := (hh*60 + mm) * 60
						if f[1][0] == '-' {
							off = -off
						}
						loc = fixedZone(off)
					}
				}
			}
			when = time.Unix(sec, 0).In(loc)
		}
	}
	return name, email, when
}

// zones holds one *time.Location per UTC offset: a history's commits use a
// few, and a location each was a hundred bytes a commit, kept as long as
// the commit's findings-to-be.
var zones sync.Map // int → *time.Location

func fixedZone(off int) *time.Location {
	if loc, ok := zones.Load(off); ok {
		return loc.(*time.Location)
	}
	loc, _ := zones.LoadOrStore(off, time.FixedZone("", off))
	return loc.(*time.Location)
}

// Blob reads the content of blob h; a blob larger than max is not read
// (nil content, tooLarge true).
func (r *Repo) Blob(h Hash, max int64) (content []byte, tooLarge bool, err error) {
	typ, data, err := r.read(h, max)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, true, nil
	case err != nil:
		return nil, false, readError("blob", h, err)
	case typ != plumbing.BlobObject:
		return nil, false, fmt.Errorf("object %s is a %s, not a blob", h, typ)
	}
	return data, false, nil
}

// object reads an object's content, which must be of type want.
func (r *Repo) object(h Hash, want plumbing.ObjectType) ([]byte, error) {
	typ, data, err := r.read(h, 0)
	if err != nil {
		return nil, readError(want.String(), h, err)
	}
	if typ != want {
		return nil, fmt.Errorf("object %s is a %s, not a %s", h, typ, want)
	}
	return data, nil
}

// readError names the object a read failed on.
func readError(kind string, h Hash, err error) error {
	if errors.Is(err, ErrMissingObject) {
		return fmt.Errorf("%s %s: %w", kind, h, err)
	}
	return fmt.Errorf("failed to read %s %s: %w", kind, h, err)
}

// read returns the type and content of object h: from the packs, else the
// loose objects, of every object directory. An object larger than max
// (when max > 0) is not read: errTooLarge. Errors wrap ErrCorrupt or
// ErrMissingObject.
func (r *Repo) read(h Hash, max int64) (plumbing.ObjectType, []byte, error) {
	fetched := false
	for {
		typ, data, err := r.packs.readMax(h, max)
		switch {
		case err == nil, errors.Is(err, errTooLarge):
			return typ, data, err
		case !errors.Is(err, errNotInPack):
			return 0, nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		// A loose object is inflated once: its header gives the size, then
		// the same stream the content (opening it twice doubled the cost of
		// history scans of unpacked repositories).
		typ, n, rd, done, err := r.loose(h)
		switch {
		case err == nil:
			defer done()
			if max > 0 && n > max {
				return typ, nil, errTooLarge
			}
			b, err := readAll(rd, n)
			if err != nil {
				return 0, nil, fmt.Errorf("loose object: %w: %w", ErrCorrupt, err)
			}
			return typ, b, nil
		case !errors.Is(err, errNotLoose):
			return 0, nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if err := r.notFound(h, &fetched); err != nil {
			return 0, nil, err
		}
	}
}

// size is the size of blob h, read from its header.
func (r *Repo) size(h Hash) (int64, error) {
	fetched := false
	for {
		_, n, err := r.packs.size(h)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, errNotInPack) {
			return 0, fmt.Errorf("failed to read blob %s: %w: %w", h, ErrCorrupt, err)
		}
		_, n, _, done, err := r.loose(h)
		if err == nil {
			done()
			return n, nil
		}
		if !errors.Is(err, errNotLoose) {
			return 0, fmt.Errorf("failed to read blob %s: %w: %w", h, ErrCorrupt, err)
		}
		if err := r.notFound(h, &fetched); err != nil {
			return 0, readError("blob", h, err)
		}
	}
}

// notFound does what git does when an object is in no pack and not loose:
// look again for packs written since the repository was opened (a repack,
// a fetch), and in a partial clone fetch the object from the promisor
// remote. It returns nil when the object may now be found, else the error:
// a pack that could not be read, or ErrMissingObject.
func (r *Repo) notFound(h Hash, fetched *bool) error {
	if r.packs.scan(r.objDirs) {
		return nil
	}
	if err := r.packs.unreadable(); err != nil {
		return err
	}
	remote := r.promisorRemote()
	if remote == "" {
		return ErrMissingObject
	}
	if *fetched {
		return fmt.Errorf("not served by promisor remote %s: %w", remote, ErrMissingObject)
	}
	*fetched = true
	if err := r.fetch(remote, []Hash{h}); err != nil {
		return err
	}
	r.packs.scan(r.objDirs)
	return nil
}
