package gitrepo

import (
	"container/heap"
	"errors"
)

// slop is how many commits the boundary walk goes on after every queued
// commit is known to be excluded, in case committer dates are out of order
// (clock skew), as git's rev-list does.
const slop = 5

// notReachableFrom returns the commits reachable from include and not from
// exclude. Both sides are walked at once, newest committer date first, and
// the walk stops as soon as everything queued is reachable from exclude, so
// the cost follows the size of the range (a push, A..B), not of the history
// below it. Exclude tips the repository does not have are skipped (a remote
// sha never fetched); a missing included commit is passed to onMissing.
func (r *Repo) notReachableFrom(include, exclude []Hash, onMissing func(Hash, error)) ([]*Commit, error) {
	const (
		wanted   = 1
		excluded = 2
	)
	flags := map[Hash]uint8{}
	commits := map[Hash]*Commit{}
	q := &byDate{}
	queued := 0 // wanted entries in the queue
	push := func(h Hash, flag uint8) error {
		old := flags[h]
		if old&flag != 0 || old&excluded != 0 {
			return nil // nothing new to say about h
		}
		c, ok := commits[h]
		if !ok {
			var err error
			c, err = r.Commit(h)
			if errors.Is(err, ErrMissingObject) {
				if flag == wanted && onMissing != nil {
					onMissing(h, err)
				}
				return nil
			}
			if err != nil {
				return err
			}
			commits[h] = c
		}
		flags[h] = old | flag
		if flag == wanted {
			queued++
		}
		heap.Push(q, dated{c, flag})
		return nil
	}
	for _, h := range exclude {
		if err := push(h, excluded); err != nil {
			return nil, err
		}
	}
	for _, h := range include {
		if err := push(h, wanted); err != nil {
			return nil, err
		}
	}
	var out []*Commit
	extra := slop
	for q.Len() > 0 {
		if queued == 0 {
			if extra == 0 {
				break
			}
			extra--
		}
		e := heap.Pop(q).(dated)
		if e.flag == wanted {
			queued--
		}
		flag := e.flag
		if flags[e.c.Hash]&excluded != 0 {
			flag = excluded
		} else if e.flag == wanted {
			out = append(out, e.c)
		}
		if r.Shallow(e.c.Hash) {
			continue
		}
		for _, p := range e.c.Parents {
			if err := push(p, flag); err != nil {
				return nil, err
			}
		}
	}
	// A commit taken before the excluded side reached it (skewed dates) is
	// excluded all the same.
	kept := out[:0]
	for _, c := range out {
		if flags[c.Hash]&excluded == 0 {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

type dated struct {
	c    *Commit
	flag uint8
}

// byDate is a max-heap of commits by committer date.
type byDate []dated

func (q byDate) Len() int           { return len(q) }
func (q byDate) Less(i, j int) bool { return q[i].c.Commit.After(q[j].c.Commit) }
func (q byDate) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *byDate) Push(x any)        { *q = append(*q, x.(dated)) }
func (q *byDate) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
