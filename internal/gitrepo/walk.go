package gitrepo

import (
	"bytes"
	"container/heap"
	"errors"
	"slices"
)

// History is the set of commits to scan, oldest first.
type History struct {
	// Commits are ordered so that every commit comes after its parents;
	// among commits whose parents are all placed, the earliest committer
	// date comes first (see oldestFirst).
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
	for _, c := range byHash {
		if r.Shallow(c.Hash) {
			hist.Shallow = append(hist.Shallow, c.Hash)
		}
	}
	hist.Commits = oldestFirst(byHash)
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

// oldestFirst orders commits so that parents always come before their
// children and, among the commits whose parents are all placed, the one
// with the earliest committer date (then the smaller hash) comes first:
// Kahn's algorithm with a min-heap. Two unrelated branches thus interleave
// by date, so an old commit on a short branch ranks before a recent one on
// a long branch (ranking by depth first named the newer), and a child dated
// before its parent (clock skew) still comes after it. Without skew or
// equal dates this is `git rev-list --date-order --reverse`.
func oldestFirst(byHash map[Hash]*Commit) []*Commit {
	commits := make([]*Commit, 0, len(byHash))
	for _, c := range byHash {
		commits = append(commits, c)
	}
	index := make(map[Hash]int32, len(commits))
	for i, c := range commits {
		index[c.Hash] = int32(i)
	}
	// waiting counts each commit's parents not yet placed; children lists
	// who waits on whom. Parents outside the set (a range's boundary,
	// missing or shallow) do not count.
	waiting := make([]int32, len(commits))
	children := make([][]int32, len(commits))
	for i, c := range commits {
		for _, p := range c.Parents {
			if j, ok := index[p]; ok {
				waiting[i]++
				children[j] = append(children[j], int32(i))
			}
		}
	}
	ready := &commitHeap{commits: commits}
	for i := range commits {
		if waiting[i] == 0 {
			ready.items = append(ready.items, int32(i))
		}
	}
	heap.Init(ready)
	out := make([]*Commit, 0, len(commits))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int32)
		out = append(out, commits[i])
		for _, ch := range children[i] {
			// A parent listed twice counts twice, and is placed once: both
			// decrements happen here.
			if waiting[ch]--; waiting[ch] == 0 {
				heap.Push(ready, ch)
			}
		}
	}
	return out
}

// commitHeap holds indexes into commits, the earliest committer date on
// top, ties to the smaller hash.
type commitHeap struct {
	commits []*Commit
	items   []int32
}

func (h *commitHeap) Len() int { return len(h.items) }
func (h *commitHeap) Less(i, j int) bool {
	a, b := h.commits[h.items[i]], h.commits[h.items[j]]
	if !a.Commit.Equal(b.Commit) {
		return a.Commit.Before(b.Commit)
	}
	return bytes.Compare(a.Hash[:], b.Hash[:]) < 0
}
func (h *commitHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *commitHeap) Push(x any)    { h.items = append(h.items, x.(int32)) }
func (h *commitHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
