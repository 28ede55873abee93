package gitcli

import (
	"errors"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// Added is what one path of a change brings that its parents did not have.
type Added struct {
	Path  string
	Blob  string
	Hunks []gitrepo.Hunk
	// Skip, when set, says why the path was not read (too large, binary).
	Skip string
	// Err is a blob that could not be read; the other paths still are.
	Err error
	// BaseErr is the path's earlier version, missing: every line of the
	// new one counts as added, and the caller must say so.
	BaseErr error
}

// AddedOptions tune Added.
type AddedOptions struct {
	// MaxSize leaves larger blobs unread (0: no limit).
	MaxSize int64
	// Known reports blobs that already exist elsewhere in the parent, so an
	// added path holding one is a copy and brings nothing new.
	Known func(id string) bool
}

// maxRenamePairs bounds rename pairing, as gitrepo does.
const maxRenamePairs = 400

// Added turns changes into the added lines of each path, by gitrepo's
// rules, so both readers report the same lines: the lines come from
// gitrepo.AddedLines, not from git's diff. Deletions, symbolic links,
// gitlinks, mode-only changes, exact renames and copies bring nothing; an
// added path half similar to a deleted one is diffed against it; a merge's
// path equal to any parent's brings nothing, and otherwise only the lines
// no parent has.
func (r *Repo) Added(changes []Change, o AddedOptions, fn func(Added) error) error {
	var deleted []string
	gone := map[string]bool{}
	for _, c := range changes {
		if c.To.Mode == 0 && len(c.From) > 0 && c.From[0].IsBlob() {
			deleted = append(deleted, c.From[0].ID)
			gone[c.From[0].ID] = true
		}
	}
	var fresh []Change // added paths that may be inexact renames
	for _, c := range changes {
		if !c.To.IsBlob() {
			continue // deleted, symlink, gitlink
		}
		from := first(c.From)
		if !from.IsBlob() {
			from = Entry{} // a symlink or submodule turned into a file: all new
		}
		if from.ID == c.To.ID {
			continue // mode only
		}
		if from.Mode == 0 {
			if gone[c.To.ID] || o.Known != nil && o.Known(c.To.ID) {
				continue // exact rename or copy
			}
			if len(deleted) > 0 {
				fresh = append(fresh, c)
				continue
			}
		}
		if err := r.emit(c, from.ID, o, fn); err != nil {
			return err
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	sources := r.pairRenames(fresh, deleted, o)
	for i, c := range fresh {
		if err := r.emit(c, sources[i], o, fn); err != nil {
			return err
		}
	}
	return nil
}

func first(es []Entry) Entry {
	if len(es) == 0 {
		return Entry{}
	}
	return es[0]
}

// pairRenames finds, for each added path, the deleted blob it was most
// likely renamed from ("" when none is half similar).
func (r *Repo) pairRenames(fresh []Change, deleted []string, o AddedOptions) []string {
	out := make([]string, len(fresh))
	if len(fresh)*len(deleted) > maxRenamePairs {
		return out
	}
	read := func(id string) []byte {
		b, tooLarge, err := r.Blob(id, o.MaxSize)
		if err != nil || tooLarge || scan.IsBinary(b) {
			return nil
		}
		return b
	}
	olds := make([][]byte, len(deleted))
	for i, d := range deleted {
		olds[i] = read(d)
	}
	used := make([]bool, len(deleted))
	for i, c := range fresh {
		nb := read(c.To.ID)
		if nb == nil {
			continue
		}
		best, bestScore := -1, 0.5
		for j, ob := range olds {
			if used[j] || ob == nil {
				continue
			}
			if s := gitrepo.Similarity(ob, nb); s >= bestScore {
				best, bestScore = j, s
			}
		}
		if best >= 0 {
			used[best] = true
			out[i] = deleted[best]
		}
	}
	return out
}

// emit reads one path's new blob and yields its added lines: relative to
// from ("" for none) and, for a merge, to every other parent.
func (r *Repo) emit(c Change, from string, o AddedOptions, fn func(Added) error) error {
	to := c.To.ID
	a := Added{Path: c.Path, Blob: to}
	var others [][]byte
	for _, e := range c.From[min(1, len(c.From)):] {
		if !e.IsBlob() {
			continue
		}
		if e.ID == to {
			return nil // the merge took this parent's version: nothing new
		}
		b, tooLarge, err := r.Blob(e.ID, o.MaxSize)
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
		a.Skip = gitrepo.TooLargeReason(o.MaxSize)
		return fn(a)
	case scan.IsBinary(nb):
		a.Skip = "binary"
		return fn(a)
	}
	var ob []byte
	if from != "" {
		ob, tooLarge, err = r.Blob(from, o.MaxSize)
		switch {
		case errors.Is(err, gitrepo.ErrMissingObject):
			a.BaseErr = err
		case err != nil:
			a.Err = err
			return fn(a)
		}
		if tooLarge {
			ob = nil
		}
	}
	if a.Hunks = gitrepo.NewLines(ob, nb, others); len(a.Hunks) == 0 {
		return nil
	}
	return fn(a)
}
