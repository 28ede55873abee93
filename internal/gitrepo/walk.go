package gitrepo

import (
	"bytes"
	"container/heap"
	"errors"
)

// History is the set of commits to scan, oldest first. It keeps 20-odd
// bytes a commit plus the rank: what a commit says (author, tree) is handed
// to the visitor and let go, so a long history costs little memory.
type History struct {
	// Order lists the commits so that every commit comes after its
	// parents; among commits whose parents are all placed, the earliest
	// committer date comes first (see oldestFirst).
	Order []Hash
	// Rank orders commits by age: a commit's rank is its position in
	// Order.
	Rank map[Hash]int32
	// Shallow lists commits whose parents a shallow clone left out.
	Shallow []Hash
	// Missing lists commits that could not be read, with why.
	Missing []error
}

// node is what ordering needs of a commit.
type node struct {
	hash    Hash
	when    int64 // committer date, seconds since the epoch
	parents []Hash
}

func nodeOf(c *Commit) node {
	return node{hash: c.Hash, when: c.Commit.Unix(), parents: c.Parents}
}

// Commits collects every commit reachable from include and not from
// exclude. Merge commits are included. A missing commit is recorded, not
// fatal, so the rest of history is still scanned. visit, when set, is
// called with each commit as soon as it is read (newest first), so work on
// it can start while the walk goes on; an error from visit stops the walk.
func (r *Repo) Commits(include, exclude []Hash, visit func(*Commit) error) (*History, error) {
	hist := &History{}
	onMissing := func(h Hash, err error) { hist.Missing = append(hist.Missing, err) }
	var nodes []node
	add := func(c *Commit) error {
		nodes = append(nodes, nodeOf(c))
		if r.Shallow(c.Hash) {
			hist.Shallow = append(hist.Shallow, c.Hash)
		}
		if visit != nil {
			return visit(c)
		}
		return nil
	}
	if len(exclude) > 0 {
		// A range: walk only down to where it meets the excluded history.
		// Commits are handed to visit once the boundary is known.
		commits, err := r.notReachableFrom(include, exclude, onMissing)
		if err != nil {
			return nil, err
		}
		for _, c := range commits {
			if err := add(c); err != nil {
				return nil, err
			}
		}
	} else if err := r.ancestors(include, add, onMissing); err != nil {
		return nil, err
	}
	hist.Order = oldestFirst(nodes)
	hist.Rank = make(map[Hash]int32, len(hist.Order))
	for i, h := range hist.Order {
		hist.Rank[h] = int32(i)
	}
	return hist, nil
}

// ancestors visits every commit reachable from starts, once, newest
// committer date first, as git log walks: consecutive versions of a file
// are then read close together, while their delta bases are still cached
// (a depth-first walk went down a merge's second parent to the root and
// came back for the first parent's commits last).
func (r *Repo) ancestors(starts []Hash, visit func(*Commit) error, onMissing func(Hash, error)) error {
	trees := map[Hash]Hash{} // every commit seen: its tree, zero when unread
	q := &byDate{}
	push := func(h Hash) error {
		if _, ok := trees[h]; ok {
			return nil
		}
		trees[h] = Hash{}
		c, err := r.Commit(h)
		if err != nil {
			if errors.Is(err, ErrMissingObject) && (onMissing != nil || r.Shallow(h)) {
				if onMissing != nil {
					onMissing(h, err)
				}
				return nil
			}
			return err
		}
		trees[h] = c.Tree
		heap.Push(q, dated{c: c})
		return nil
	}
	for _, h := range starts {
		if err := push(h); err != nil {
			return err
		}
	}
	for q.Len() > 0 {
		c := heap.Pop(q).(dated).c
		if !r.Shallow(c.Hash) {
			for _, p := range c.Parents {
				if err := push(p); err != nil {
					return err
				}
			}
			// The parents were just read: their trees go with the commit,
			// so whoever diffs it need not read them again.
			c.ParentTrees = make([]Hash, len(c.Parents))
			for i, p := range c.Parents {
				c.ParentTrees[i] = trees[p]
			}
		}
		if err := visit(c); err != nil {
			return err
		}
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
// equal dates this is `git rev-list --date-order --reverse`. Each commit
// must appear once in commits.
func oldestFirst(commits []node) []Hash {
	index := make(map[Hash]int32, len(commits))
	for i, c := range commits {
		index[c.hash] = int32(i)
	}
	// waiting counts each commit's parents not yet placed; children lists
	// who waits on whom. Parents outside the set (a range's boundary,
	// missing or shallow) do not count.
	waiting := make([]int32, len(commits))
	children := make([][]int32, len(commits))
	for i, c := range commits {
		for _, p := range c.parents {
			if j, ok := index[p]; ok {
				waiting[i]++
				children[j] = append(children[j], int32(i))
			}
		}
	}
	index = nil // let it go while the order is built
	ready := &commitHeap{commits: commits}
	for i := range commits {
		if waiting[i] == 0 {
			ready.items = append(ready.items, int32(i))
		}
	}
	heap.Init(ready)
	out := make([]Hash, 0, len(commits))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int32)
		out = append(out, commits[i].hash)
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
	commits []node
	items   []int32
}

func (h *commitHeap) Len() int { return len(h.items) }
func (h *commitHeap) Less(i, j int) bool {
	a, b := &h.commits[h.items[i]], &h.commits[h.items[j]]
	if a.when != b.when {
		return a.when < b.when
	}
	return bytes.Compare(a.hash[:], b.hash[:]) < 0
}
func (h *commitHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *commitHeap) Push(x any)    { h.items = append(h.items, x.(int32)) }
func (h *commitHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
