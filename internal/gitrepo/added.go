package gitrepo

import (
	"bytes"
	"errors"

	"github.com/tokenguard/tokenguard/internal/bytesize"
)

// Added is what one path of a change brings that its parent did not have.
type Added struct {
	Path  string
	Blob  Hash
	Hunks []Hunk
	// Skip, when set, says why the path was not read (too large, binary).
	Skip string
	// Err is a blob that could not be read; the other paths still are.
	Err error
	// BaseErr is the path's earlier version, missing: every line of the
	// blob is then in Hunks, attributed to this change.
	BaseErr error
}

// AddedOptions tune Added.
type AddedOptions struct {
	// MaxSize leaves larger blobs unread (0: no limit).
	MaxSize int64
	// Others are the trees of a merge's other parents: a line any parent
	// has is not added, and a path equal to any parent's is skipped, so only
	// what the merge resolution itself introduced is left.
	Others []Hash
	// Known reports blobs that already exist elsewhere in the parent, so an
	// added path holding one is a copy and brings nothing new.
	Known func(Hash) bool
}

// maxRenamePairs bounds inexact rename detection, as git's renameLimit does.
const maxRenamePairs = 400

// Pair is one path a change brings, with the version it is diffed
// against: its parent's, or the deleted blob it was renamed from (From
// zero: every line is new).
type Pair struct {
	Path     string
	From, To Hash
}

// Added turns the changes between a parent and a child (a tree diff, or
// the index against HEAD) into the added lines of each path: Pairs, then
// Emit for each.
func (r *Repo) Added(changes []Change, o AddedOptions, fn func(Added) error) error {
	for _, p := range r.Pairs(changes, o) {
		if err := r.Emit(p, o, fn); err != nil {
			return err
		}
	}
	return nil
}

// Pairs are the paths of changes that can bring lines, each with what it
// is diffed against. Deletions, symbolic links, gitlinks, mode-only
// changes, exact renames and copies bring nothing; an added path similar
// enough (half its lines) to a deleted one is diffed against it, as git's
// rename detection would (which reads both).
func (r *Repo) Pairs(changes []Change, o AddedOptions) []Pair {
	var pairs []Pair
	var deleted []Entry
	gone := map[Hash]bool{}
	for _, c := range changes {
		if c.To.Hash.IsZero() && c.From.IsBlob() {
			deleted = append(deleted, c.From)
			gone[c.From.Hash] = true
		}
	}
	var fresh []Change // added paths that may be inexact renames
	for _, c := range changes {
		if !c.To.IsBlob() {
			continue // deleted, symlink, gitlink
		}
		from := c.From
		if !from.IsBlob() {
			from = Entry{} // a symlink or submodule turned into a file: all new
		}
		if from.Hash == c.To.Hash {
			continue // mode only
		}
		if from.Hash.IsZero() {
			if gone[c.To.Hash] || o.Known != nil && o.Known(c.To.Hash) {
				continue // exact rename or copy
			}
			if len(deleted) > 0 {
				fresh = append(fresh, c)
				continue
			}
		}
		pairs = append(pairs, Pair{Path: c.Path, From: from.Hash, To: c.To.Hash})
	}
	if len(fresh) == 0 {
		return pairs
	}
	sources := r.pairRenames(fresh, deleted, o)
	for i, c := range fresh {
		pairs = append(pairs, Pair{Path: c.Path, From: sources[i], To: c.To.Hash})
	}
	return pairs
}

// pairRenames finds, for each added path, the deleted blob it was most
// likely renamed from (zero when none is half similar).
func (r *Repo) pairRenames(fresh []Change, deleted []Entry, o AddedOptions) []Hash {
	out := make([]Hash, len(fresh))
	if len(fresh)*len(deleted) > maxRenamePairs {
		return out
	}
	read := func(h Hash) []byte {
		b, tooLarge, err := r.Blob(h, o.MaxSize)
		if err != nil || tooLarge || isBinary(b) {
			return nil
		}
		return b
	}
	olds := make([][]byte, len(deleted))
	for i, d := range deleted {
		olds[i] = read(d.Hash)
	}
	used := make([]bool, len(deleted))
	for i, c := range fresh {
		nb := read(c.To.Hash)
		if nb == nil {
			continue
		}
		best, bestScore := -1, 0.5
		for j, ob := range olds {
			if used[j] || ob == nil {
				continue
			}
			if s := Similarity(ob, nb); s >= bestScore {
				best, bestScore = j, s
			}
		}
		if best >= 0 {
			used[best] = true
			out[i] = deleted[best].Hash
		}
	}
	return out
}

// Emit reads the added lines of one pair and hands them to fn (nothing
// when there are none).
func (r *Repo) Emit(p Pair, o AddedOptions, fn func(Added) error) error {
	path, from, to := p.Path, p.From, p.To
	a := Added{Path: path, Blob: to}
	var others [][]byte
	for _, t := range o.Others {
		e, ok, err := r.Lookup(t, path)
		if err != nil {
			a.Err = err
			return fn(a)
		}
		if !ok || !e.IsBlob() {
			continue
		}
		if e.Hash == to {
			return nil // the merge took this parent's version: nothing new
		}
		b, tooLarge, err := r.Blob(e.Hash, o.MaxSize)
		if err == nil && !tooLarge {
			others = append(others, b)
		}
	}
	nb, tooLarge, err := r.Blob(to, o.MaxSize)
	switch {
	case err != nil:
		a.Err = err
		return fn(a)
	case tooLarge:
		a.Skip = TooLargeReason(o.MaxSize)
		return fn(a)
	case isBinary(nb):
		a.Skip = "binary"
		return fn(a)
	}
	var ob []byte
	if !from.IsZero() {
		ob, tooLarge, err = r.Blob(from, o.MaxSize)
		switch {
		case errors.Is(err, ErrMissingObject):
			a.BaseErr = err
		case err != nil:
			a.Err = err
			return fn(a)
		}
		if tooLarge {
			ob = nil
		}
	}
	if a.Hunks = NewLines(ob, nb, others); len(a.Hunks) == 0 {
		return nil
	}
	return fn(a)
}

// NewLines is the runs of lines content nb adds: relative to its earlier
// version ob (nil or binary: every line is new) and, for a merge, to each
// other parent's version in others (a line any parent had is not new).
// Both readers, native and through git, judge added lines here.
func NewLines(ob, nb []byte, others [][]byte) []Hunk {
	var hs []Hunk
	if ob == nil || isBinary(ob) {
		hs = AllLines(nb)
	} else {
		hs = AddedLines(ob, nb)
	}
	for _, other := range others {
		if len(hs) == 0 {
			break
		}
		hs = intersect(hs, AddedLines(other, nb), nb)
	}
	return hs
}

// intersect keeps the lines that are in both runs of hunks of b.
func intersect(x, y []Hunk, b []byte) []Hunk {
	in := func(hs []Hunk) map[int]bool {
		m := map[int]bool{}
		for _, h := range hs {
			n := bytes.Count(h.Content, []byte{'\n'})
			if len(h.Content) > 0 && h.Content[len(h.Content)-1] != '\n' {
				n++
			}
			for i := range n {
				m[h.Line+i] = true
			}
		}
		return m
	}
	mx, my := in(x), in(y)
	lines := splitLines(b)
	var out []Hunk
	start := -1
	for i := range len(lines) + 1 {
		keep := i < len(lines) && mx[i+1] && my[i+1]
		if keep && start < 0 {
			start = i
		}
		if !keep && start >= 0 {
			out = append(out, Hunk{Line: start + 1, Content: b[lines[start].s:lines[i-1].next]})
			start = -1
		}
	}
	return out
}

// isBinary is git's rule, and the engine's: a NUL in the first 8000 bytes.
func isBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0
}

// TooLargeReason is the skip reason for content over max bytes: the same
// words from every reader and source, which the reports count by.
func TooLargeReason(max int64) string { return "larger than " + bytesize.Size(max).String() }
