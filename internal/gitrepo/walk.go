package gitrepo

import (
	"cmp"
	"errors"
	"slices"
	"strings"
)

// History is the set of commits to scan, oldest first.
type History struct {
	// Commits are ordered so that every commit comes after its parents.
	Commits []*Commit
	// Rank orders commits by age: a commit's rank is its position in
	// Commits.
	Rank map[Hash]int
	// Shallow lists commits whose parents a shallow clone left out.
	Shallow []Hash
	// Missing lists commits that could not be read, with why.
	Missing []error
}

// Commits collects every commit reachable from include and not from
// exclude. Merge commits are included. A missing commit is recorded, not
// fatal, so the rest of history is still scanned. visit, when set, is
// called with each commit as soon as it is read (newest first), so work on
// it can start while the walk goes on; an error from visit stops the walk.
func (r *Repo) Commits(include, exclude []Hash, visit func(*Commit) error) (*History, error) {
	hist := &History{Rank: map[Hash]int{}}
	onMissing := func(h Hash, err error) { hist.Missing = append(hist.Missing, err) }
	byHash := map[Hash]*Commit{}
	if len(exclude) > 0 {
		// A range: walk only down to where it meets the excluded history.
		// Commits are handed to visit once the boundary is known.
		commits, err := r.notReachableFrom(include, exclude, onMissing)
		if err != nil {
			return nil, err
		}
		for _, c := range commits {
			byHash[c.Hash] = c
			if visit != nil {
				if err := visit(c); err != nil {
					return nil, err
				}
			}
		}
	} else {
		err := r.ancestors(include, func(c *Commit) error {
			byHash[c.Hash] = c
			if visit != nil {
				return visit(c)
			}
			return nil
		}, onMissing)
		if err != nil {
			return nil, err
		}
	}
	// Generation numbers give an order where parents precede children;
	// ties go to the earlier committer date, then the hash.
	gen := make(map[Hash]int, len(byHash))
	var depth func(c *Commit) int
	depth = func(c *Commit) int {
		// Iterative over long first-parent chains to keep the stack small.
		stack := []*Commit{c}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if _, ok := gen[top.Hash]; ok {
				stack = stack[:len(stack)-1]
				continue
			}
			g, ready := 1, true
			for _, p := range top.Parents {
				pc, in := byHash[p]
				if !in {
					continue
				}
				pg, ok := gen[p]
				if !ok {
					ready = false
					stack = append(stack, pc)
					continue
				}
				g = max(g, pg+1)
			}
			if ready {
				gen[top.Hash] = g
				stack = stack[:len(stack)-1]
			}
		}
		return gen[c.Hash]
	}
	for _, c := range byHash {
		depth(c)
		hist.Commits = append(hist.Commits, c)
		if r.Shallow(c.Hash) {
			hist.Shallow = append(hist.Shallow, c.Hash)
		}
	}
	slices.SortFunc(hist.Commits, func(a, b *Commit) int {
		return cmp.Or(
			cmp.Compare(gen[a.Hash], gen[b.Hash]),
			a.Commit.Compare(b.Commit),
			strings.Compare(a.Hash.String(), b.Hash.String()),
		)
	})
	for i, c := range hist.Commits {
		hist.Rank[c.Hash] = i
	}
	return hist, nil
}

// ancestors visits every commit reachable from starts.
func (r *Repo) ancestors(starts []Hash, visit func(*Commit) error, onMissing func(Hash, error)) error {
	seen := map[Hash]bool{}
	queue := slices.Clone(starts)
	for len(queue) > 0 {
		h := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := r.Commit(h)
		if err != nil {
			if errors.Is(err, ErrMissingObject) && (onMissing != nil || r.Shallow(h)) {
				if onMissing != nil {
					onMissing(h, err)
				}
				continue
			}
			return err
		}
		if err := visit(c); err != nil {
			return err
		}
		if r.Shallow(h) {
			continue
		}
		queue = append(queue, c.Parents...)
	}
	return nil
}
