package gitrepo

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// File modes as git stores them in trees and the index.
const (
	ModeDir     = 0o040000
	ModeFile    = 0o100644
	ModeExec    = 0o100755
	ModeSymlink = 0o120000
	ModeGitlink = 0o160000
)

// Entry is one name in a tree.
type Entry struct {
	Name string
	Mode uint32
	Hash Hash
}

// IsDir reports whether the entry is a subtree.
func (e Entry) IsDir() bool { return e.Mode&0o170000 == ModeDir }

// IsBlob reports whether the entry is file content worth scanning: a
// regular or executable file, not a symbolic link (its blob is only the
// link's target) nor a gitlink (a submodule's commit, held elsewhere).
func (e Entry) IsBlob() bool { return e.Mode&0o170000 == 0o100000 }

// Tree is a parsed tree object.
type Tree struct {
	Entries []Entry
}

// Tree reads and parses tree h (the zero hash is the empty tree). Only
// the staged diff parses trees, each once; diffs, walks and lookups read
// the objects in place (rawTree).
func (r *Repo) Tree(h Hash) (*Tree, error) {
	b, err := r.rawTree(h)
	if err != nil {
		return nil, err
	}
	t, err := parseTree(b)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	return t, nil
}

// TreeCache is a byte-bounded cache of tree objects by id. Repos opened
// with the same TreeCache (Options.SharedTrees) share it: a history scan's
// workers take turns on runs of commits, and with a cache each, two
// workers read 1.7 times the trees one did. A tree found here is not
// looked up in the pack index (a few cache misses), nor does it take room
// from the object cache, where a merge's lookups would push out the blob
// versions read next. It holds the objects as read (not parsed into
// entries and strings, which the garbage collector scanned at every
// collection). It is safe for concurrent use; the objects it holds are
// never modified.
type TreeCache struct {
	mu         sync.Mutex
	m          map[Hash][]byte
	bytes, max int64
}

// NewTreeCache returns a cache of about max bytes of tree objects.
func NewTreeCache(max int64) *TreeCache {
	return &TreeCache{m: map[Hash][]byte{}, max: max}
}

// Clear drops every tree cached.
func (c *TreeCache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
	c.bytes = 0
}

func (c *TreeCache) get(h Hash) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[h]
	return b, ok
}

func (c *TreeCache) put(h Hash, b []byte) {
	size := int64(len(b)) + cacheBookkeeping
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+size > c.max {
		clear(c.m) // simple and good enough: history walks revisit recent trees
		c.bytes = 0
	}
	c.m[h] = b
	c.bytes += size
}

// parseTree decodes a tree object. The names are slices of one copy of
// the whole object: a string per name was most of a large history's tree
// parsing, and of its garbage.
func parseTree(b []byte) (*Tree, error) {
	t := &Tree{Entries: make([]Entry, 0, bytes.Count(b, []byte{0}))}
	all := string(b)
	for len(b) > 0 {
		e, rest, err := nextEntry(b)
		if err != nil {
			return nil, err
		}
		at := len(all) - len(rest) - 21 - len(e.name) // the name ends at the NUL before the id
		t.Entries = append(t.Entries, Entry{Name: all[at : at+len(e.name)], Mode: e.mode, Hash: e.hash})
		b = rest
	}
	return t, nil
}

// rawEntry is a tree entry read in place: its name is a slice of the tree
// object, which stays unmodified.
type rawEntry struct {
	name []byte
	mode uint32
	hash Hash
}

func (e rawEntry) isDir() bool { return e.mode&0o170000 == ModeDir }

func (e rawEntry) entry() Entry { return Entry{Name: string(e.name), Mode: e.mode, Hash: e.hash} }

// nextEntry reads the first entry of a tree object's b, in git's format:
// "<octal mode> <name>\0<20-byte id>", and returns the rest.
func nextEntry(b []byte) (rawEntry, []byte, error) {
	sp := bytes.IndexByte(b, ' ')
	if sp <= 0 { // git refuses an empty mode too ("malformed mode")
		return rawEntry{}, nil, fmt.Errorf("corrupt tree entry")
	}
	var mode uint32
	for _, c := range b[:sp] {
		if c < '0' || c > '7' {
			return rawEntry{}, nil, fmt.Errorf("corrupt tree entry mode %q", b[:sp])
		}
		mode = mode<<3 | uint32(c-'0')
	}
	b = b[sp+1:]
	nul := bytes.IndexByte(b, 0)
	if nul < 0 || len(b) < nul+1+20 {
		return rawEntry{}, nil, fmt.Errorf("corrupt tree entry")
	}
	if nul == 0 {
		return rawEntry{}, nil, fmt.Errorf("corrupt tree entry: empty name") // as git refuses it
	}
	e := rawEntry{name: b[:nul], mode: mode}
	copy(e.hash[:], b[nul+1:nul+21])
	return e, b[nul+21:], nil
}

// Lookup finds the entry at path (slash-separated) under tree root.
func (r *Repo) Lookup(root Hash, path string) (Entry, bool, error) {
	h := root
	for {
		b, err := r.rawTree(h)
		if err != nil {
			return Entry{}, false, err
		}
		name, rest, more := strings.Cut(path, "/")
		var found rawEntry
		for len(b) > 0 {
			var e rawEntry
			if e, b, err = nextEntry(b); err != nil {
				return Entry{}, false, fmt.Errorf("tree %s: %w", h, err)
			}
			if string(e.name) == name {
				found = e
				break
			}
		}
		switch {
		case found.name == nil:
			return Entry{}, false, nil
		case !more:
			return found.entry(), true, nil
		case !found.isDir():
			return Entry{}, false, nil
		}
		h, path = found.hash, rest
	}
}

// Walk calls fn for every non-tree entry under tree root, with its full path.
func (r *Repo) Walk(root Hash, fn func(path string, e Entry) error) error {
	return r.walk(root, "", fn)
}

func (r *Repo) walk(h Hash, prefix string, fn func(string, Entry) error) error {
	b, err := r.rawTree(h)
	if err != nil {
		return err
	}
	for len(b) > 0 {
		var e rawEntry
		if e, b, err = nextEntry(b); err != nil {
			return fmt.Errorf("tree %s: %w", h, err)
		}
		p := prefix + string(e.name)
		if e.isDir() {
			if err := r.walk(e.hash, p+"/", fn); err != nil {
				return err
			}
			continue
		}
		if err := fn(p, e.entry()); err != nil {
			return err
		}
	}
	return nil
}

// Change is one path that differs between two trees. From is the zero
// Entry for an added path, To for a deleted one.
type Change struct {
	Path     string
	From, To Entry
}

// DiffTree calls fn for every non-tree path that differs between trees a
// and b. Subtrees with the same hash are skipped without being read, so the
// cost follows the size of the change, not of the tree.
func (r *Repo) DiffTree(a, b Hash, fn func(Change) error) error {
	return r.diffTree(a, b, "", fn)
}

func (r *Repo) diffTree(a, b Hash, prefix string, fn func(Change) error) error {
	if a == b {
		return nil
	}
	// The two objects are walked in place, in step: a history's diffs
	// skip most entries (same id), and parsing every tree into entries
	// and strings was a tenth of a scan and of its garbage.
	ta, err := r.rawTree(a)
	if err != nil {
		return err
	}
	tb, err := r.rawTree(b)
	if err != nil {
		return err
	}
	var x, y rawEntry
	haveX, haveY := false, false
	for {
		if !haveX && len(ta) > 0 {
			if x, ta, err = nextEntry(ta); err != nil {
				return fmt.Errorf("tree %s: %w", a, err)
			}
			haveX = true
		}
		if !haveY && len(tb) > 0 {
			if y, tb, err = nextEntry(tb); err != nil {
				return fmt.Errorf("tree %s: %w", b, err)
			}
			haveY = true
		}
		var c int
		switch {
		case !haveX && !haveY:
			return nil
		case !haveX:
			c = 1
		case !haveY:
			c = -1
		default:
			c = compareRaw(x, y)
		}
		switch {
		case c < 0:
			if err := r.one(x.entry(), prefix, true, fn); err != nil {
				return err
			}
			haveX = false
		case c > 0:
			if err := r.one(y.entry(), prefix, false, fn); err != nil {
				return err
			}
			haveY = false
		default:
			haveX, haveY = false, false
			if x.hash == y.hash && x.mode == y.mode {
				continue
			}
			if x.isDir() {
				if err := r.diffTree(x.hash, y.hash, prefix+string(x.name)+"/", fn); err != nil {
					return err
				}
				continue
			}
			if err := fn(Change{Path: prefix + string(x.name), From: x.entry(), To: y.entry()}); err != nil {
				return err
			}
		}
	}
}

// rawTree reads tree h's object (nothing for the zero hash, the empty
// tree). It may be shared: it is only read.
func (r *Repo) rawTree(h Hash) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	if b, ok := r.trees.get(h); ok {
		return b, nil
	}
	b, err := r.object(h, plumbing.TreeObject)
	if err != nil {
		return nil, err
	}
	r.trees.put(h, b)
	return b, nil
}

// one reports a whole entry as deleted (del) or added, walking a subtree.
func (r *Repo) one(e Entry, prefix string, del bool, fn func(Change) error) error {
	emit := func(p string, e Entry) error {
		if del {
			return fn(Change{Path: p, From: e})
		}
		return fn(Change{Path: p, To: e})
	}
	if !e.IsDir() {
		return emit(prefix+e.Name, e)
	}
	return r.walk(e.Hash, prefix+e.Name+"/", emit)
}

// compareEntries orders entries as git sorts trees: a subtree's name
// compares as if it ended in "/".
func compareEntries(a, b Entry) int { return compareNames(a.Name, a.IsDir(), b.Name, b.IsDir()) }

// compareRaw is compareEntries on entries read in place.
func compareRaw(a, b rawEntry) int { return compareNames(a.name, a.isDir(), b.name, b.isDir()) }

func compareNames[S string | []byte](a S, aDir bool, b S, bDir bool) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return cmp.Compare(a[i], b[i])
		}
	}
	return cmp.Compare(terminal(a, n, aDir), terminal(b, n, bDir))
}

// terminal is the byte of name after its first n, a subtree's name ending
// in "/".
func terminal[S string | []byte](name S, n int, dir bool) byte {
	switch {
	case n < len(name):
		return name[n]
	case dir:
		return '/'
	}
	return 0
}
