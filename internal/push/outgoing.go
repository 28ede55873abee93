package push

import (
	"container/heap"
	"errors"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// slop is how many commits the walk goes on after every queued commit is
// known to be on the remote, in case committer dates are out of order
// (clock skew), as git's own rev-list does.
const slop = 5

// Outgoing returns the commits reachable from include and not from exclude,
// newest first. It walks both sides at once by committer date and stops as
// soon as everything left is already on the remote, so the cost follows the
// size of the push, not of the history. Exclude tips the repository does not
// have (a remote sha never fetched) are skipped.
func Outgoing(r *gitrepo.Repo, include, exclude []gitrepo.Hash) ([]*gitrepo.Commit, error) {
	const (
		interesting = 1
		remote      = 2
	)
	flags := map[gitrepo.Hash]uint8{}
	commits := map[gitrepo.Hash]*gitrepo.Commit{}
	q := &byDate{}
	queued := 0 // interesting commits in the queue
	push := func(h gitrepo.Hash, flag uint8) error {
		old := flags[h]
		if old&flag != 0 || old&remote != 0 {
			return nil // nothing new to say about h
		}
		c, ok := commits[h]
		if !ok {
			var err error
			c, err = r.Commit(h)
			if errors.Is(err, gitrepo.ErrMissingObject) && flag == remote {
				return nil // the remote has an object we never fetched
			}
			if err != nil {
				return err
			}
			commits[h] = c
		}
		flags[h] = old | flag
		if flag == interesting {
			queued++
		}
		heap.Push(q, entry{c, flag})
		return nil
	}
	for _, h := range exclude {
		if err := push(h, remote); err != nil {
			return nil, err
		}
	}
	for _, h := range include {
		if err := push(h, interesting); err != nil {
			return nil, err
		}
	}
	var out []*gitrepo.Commit
	extra := slop
	for q.Len() > 0 {
		if queued == 0 {
			if extra == 0 {
				break
			}
			extra--
		}
		e := heap.Pop(q).(entry)
		if e.flag == interesting {
			queued--
		}
		flag := e.flag
		if flags[e.c.Hash]&remote != 0 {
			flag = remote
		} else {
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
	// A commit taken before the remote side reached it (skewed dates) is
	// still on the remote.
	kept := out[:0]
	for _, c := range out {
		if flags[c.Hash]&remote == 0 {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

type entry struct {
	c    *gitrepo.Commit
	flag uint8
}

// byDate is a max-heap of commits by committer date.
type byDate []entry

func (q byDate) Len() int           { return len(q) }
func (q byDate) Less(i, j int) bool { return q[i].c.Commit.After(q[j].c.Commit) }
func (q byDate) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *byDate) Push(x any)        { *q = append(*q, x.(entry)) }
func (q *byDate) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
