package gitrepo

import (
	"sort"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
)

// Patching a delta chain writes out every object on it: a 1.6 MB file at
// depth 10 costs 16 MB of copying for one version, and a history of such
// a file rebuilt 2.5 times its unique bytes, mostly as bases nobody asked
// for. Large objects are instead composed: each delta's instructions are
// mapped through its base's description onto the chain's root, and only
// the object asked for is written, once. A description is a few pieces per
// edit, so many stay cached where few rebuilt bases fit.

// composeMin is the smallest target composed rather than patched: below
// it, copying the bytes costs less than describing them.
const composeMin = 256 << 10

// piece is a run of a composed object: n bytes from off, of the root
// (src 0) or of the chain's delta lits[src-1]. Pieces hold no pointers,
// so the garbage collector need not look into them.
type piece struct {
	at  int64 // where the piece starts in the object
	off int64
	n   int64
	src int32
}

// composed describes an object as pieces of a root (an object the pack
// stores whole, or one already rebuilt) and of the deltas on the way.
type composed struct {
	root     cacheKey
	rootSize int64
	typ      plumbing.ObjectType
	size     int64
	pieces   []piece
	lits     [][]byte
}

// whole is the description of a root by itself.
func whole(root cacheKey, typ plumbing.ObjectType, size int64) *composed {
	c := &composed{root: root, rootSize: size, typ: typ, size: size}
	if size > 0 {
		c.pieces = []piece{{n: size}}
	}
	return c
}

// compose applies delta to base's description.
func compose(base *composed, delta []byte) (*composed, error) {
	size, ops, err := deltaHeader(delta, base.size)
	if err != nil {
		return nil, err
	}
	c := &composed{root: base.root, rootSize: base.rootSize, typ: base.typ, size: size,
		pieces: make([]piece, 0, len(base.pieces)+len(ops)/8+8),
		lits:   append(base.lits[:len(base.lits):len(base.lits)], delta)}
	src := int32(len(c.lits))
	var at int64
	for len(ops) > 0 {
		var op deltaOp
		if op, ops, err = nextOp(ops); err != nil {
			return nil, err
		}
		if at+op.size > size {
			return nil, errBadDelta
		}
		if op.lit != nil {
			off := int64(len(delta) - len(ops) - len(op.lit))
			c.pieces = append(c.pieces, piece{at: at, off: off, n: op.size, src: src})
			at += op.size
			continue
		}
		if op.off+op.size > base.size {
			return nil, errBadDelta
		}
		c.copyFrom(base, op.off, op.size, at)
		at += op.size
	}
	if at != size {
		return nil, errBadDelta
	}
	return c, nil
}

// copyFrom appends the pieces of base's bytes [off, off+n) at position at.
func (c *composed) copyFrom(base *composed, off, n, at int64) {
	ps := base.pieces
	i := sort.Search(len(ps), func(i int) bool { return ps[i].at+ps[i].n > off })
	for ; n > 0; i++ {
		s := ps[i]
		skip := off - s.at
		take := min(s.n-skip, n)
		if last := len(c.pieces) - 1; last >= 0 && c.pieces[last].src == s.src && c.pieces[last].off+c.pieces[last].n == s.off+skip {
			c.pieces[last].n += take // contiguous in the same source: one piece
		} else {
			c.pieces = append(c.pieces, piece{at: at, off: s.off + skip, n: take, src: s.src})
		}
		off, n, at = off+take, n-take, at+take
	}
}

// write returns the described object's bytes, given its root's, in a
// buffer from alloc.
func (c *composed) write(root []byte, alloc func(int) []byte) ([]byte, error) {
	if int64(len(root)) != c.rootSize {
		return nil, errBadDelta
	}
	out := alloc(int(c.size))
	for _, s := range c.pieces {
		from := root
		if s.src > 0 {
			from = c.lits[s.src-1]
		}
		out = append(out, from[s.off:s.off+s.n]...)
	}
	return out, nil
}

// cost is what a description holds in memory, for the cache's budget.
func (c *composed) cost() int64 {
	n := int64(len(c.pieces)) * int64(unsafe.Sizeof(piece{}))
	for _, l := range c.lits {
		n += int64(len(l))
	}
	return n
}
