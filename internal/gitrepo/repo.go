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
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNotRepository is a path that is not inside a git repository.
var ErrNotRepository = errors.New("not a git repository")

// ErrMissingObject is an object the repository should hold but does not
// (a corrupt repository, or history cut off by a shallow clone).
var ErrMissingObject = errors.New("missing object")

// ErrShallow is history that ends at a shallow clone's boundary.
var ErrShallow = errors.New("shallow clone")

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
	// ObjectCache is the byte budget of go-git's object cache, which also
	// holds delta bases (0 means 32 MiB).
	ObjectCache int64
	// TreeCache is the byte budget of parsed trees (0 means 32 MiB).
	TreeCache int64
}

// Repo is an open repository.
type Repo struct {
	// Root is the work tree's top directory; empty for a bare repository.
	Root string
	// GitDir is the repository directory of this work tree (.git, or
	// .git/worktrees/NAME for a linked worktree).
	GitDir string

	st        *filesystem.Storage
	repo      *git.Repository
	trees     map[Hash]*Tree
	treeBytes int64
	treeMax   int64
	shallow   map[Hash]bool
}

// Open opens the repository holding path (a work tree directory at any
// depth, a linked worktree, or a bare repository).
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
	root, gitDir, err := find(abs)
	if err != nil {
		return nil, err
	}
	var fs billy.Filesystem = osfs.New(gitDir)
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		if _, err := os.Stat(common); err != nil {
			return nil, fmt.Errorf("%s: linked worktree whose repository %s is gone: %w", root, common, ErrNotRepository)
		}
		fs = dotgit.NewRepositoryFilesystem(fs, osfs.New(common))
	}
	st := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(cache.FileSize(o.ObjectCache)), filesystem.Options{KeepDescriptors: true})
	var wt billy.Filesystem
	if root != "" {
		wt = osfs.New(root)
	}
	repo, err := git.Open(st, wt)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: %w", abs, ErrNotRepository)
	}
	r := &Repo{Root: root, GitDir: gitDir, st: st, repo: repo, trees: map[Hash]*Tree{}, treeMax: o.TreeCache}
	return r, nil
}

// find walks up from dir to the directory holding .git (a directory, or a
// file naming the gitdir of a linked worktree), or recognises a bare
// repository.
func find(dir string) (root, gitDir string, err error) {
	start := dir
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, ".git")
		fi, err := os.Stat(p)
		switch {
		case err == nil && fi.IsDir():
			return dir, p, nil
		case err == nil:
			b, err := os.ReadFile(p)
			if err != nil {
				return "", "", err
			}
			line, _, _ := strings.Cut(string(b), "\n")
			gd, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir: ")
			if !ok {
				return "", "", fmt.Errorf("%s: no gitdir line: %w", p, ErrNotRepository)
			}
			if !filepath.IsAbs(gd) {
				gd = filepath.Join(dir, gd)
			}
			return dir, gd, nil
		case isBare(dir):
			return "", dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", fmt.Errorf("%s: %w", start, ErrNotRepository)
		}
		dir = parent
	}
}

func isBare(dir string) bool {
	for _, n := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			return false
		}
	}
	return true
}

// Close releases the pack files kept open.
func (r *Repo) Close() error { return r.st.Close() }

// Git is the go-git repository, for references and revision parsing.
func (r *Repo) Git() *git.Repository { return r.repo }

// Head returns the commit HEAD points to; ok is false on an unborn branch
// (a repository with no commit yet).
func (r *Repo) Head() (h Hash, ok bool, err error) {
	ref, err := r.repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return ZeroHash, false, nil
	}
	if err != nil {
		return ZeroHash, false, fmt.Errorf("failed to read HEAD: %w", err)
	}
	return ref.Hash(), true, nil
}

// Resolve turns a revision (branch, tag, hash, HEAD~2, …) into a commit.
func (r *Repo) Resolve(rev string) (Hash, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return ZeroHash, fmt.Errorf("unknown revision %q: %w", rev, err)
	}
	// Peel annotated tags.
	if t, err := r.repo.TagObject(*h); err == nil {
		c, err := t.Commit()
		if err != nil {
			return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
		}
		return c.Hash, nil
	}
	return *h, nil
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

// Index reads the index (staging area) of this work tree.
func (r *Repo) Index() (*index.Index, error) {
	idx, err := r.st.Index()
	if err != nil {
		return nil, fmt.Errorf("failed to read the index: %w", err)
	}
	return idx, nil
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
}

// Commit reads commit h.
func (r *Repo) Commit(h Hash) (*Commit, error) {
	o, err := r.st.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, missing("commit", h, err)
	}
	c, err := object.DecodeCommit(r.st, o)
	if err != nil {
		return nil, fmt.Errorf("failed to read commit %s: %w", h, err)
	}
	return &Commit{Hash: h, Tree: c.TreeHash, Parents: c.ParentHashes, Author: c.Author.Name, Email: c.Author.Email, When: c.Author.When, Commit: c.Committer.When}, nil
}

func missing(kind string, h Hash, err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("%s %s: %w", kind, h, ErrMissingObject)
	}
	return fmt.Errorf("failed to read %s %s: %w", kind, h, err)
}

// Blob reads the content of blob h; a blob larger than max is not read
// (nil content, too true).
func (r *Repo) Blob(h Hash, max int64) (content []byte, tooLarge bool, err error) {
	o, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, false, missing("blob", h, err)
	}
	if max > 0 && o.Size() > max {
		return nil, true, nil
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, false, missing("blob", h, err)
	}
	defer rd.Close()
	b := make([]byte, 0, o.Size())
	buf := bytes.NewBuffer(b)
	if _, err := io.Copy(buf, rd); err != nil {
		return nil, false, fmt.Errorf("failed to read blob %s: %w", h, err)
	}
	return buf.Bytes(), false, nil
}
