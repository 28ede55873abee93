package gitrepo

import (
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// Recycling the buffers of blob versions.
//
// A history scan rebuilds every version of every file it reads, about
// once each, and lets go of it soon after: on deep-20k, 600 of the 820 MB
// a scan allocated, and as much of the garbage collector's work. A
// Cache that recycles (Recycle) hands the buffers of the blob versions it
// evicts to the objects rebuilt next, once no reader can still hold them.
//
// A Repo reading through the cache may still use a version the cache has
// let go of: Emit compares two versions and yields lines of one. So each
// such Repo says when it holds nothing read through the cache: Hold
// before a read, Release once it is done with what it read. A buffer
// evicted at epoch t is reused once every reader either holds nothing or
// began holding after t. A Repo that never calls Hold counts as holding
// since it was opened: nothing evicted after that is reused, which is
// safe, only slower. Only blob versions are recycled: trees are also kept
// by id in tree caches, outside the Cache's knowledge.
type recycler struct {
	epoch   atomic.Uint64    // the next eviction's; starts at 1
	readers []*atomic.Uint64 // each reader's first epoch held, 0 when it holds nothing
	retired []retiredBuffer  // evicted, oldest first, not yet free
	free    [64 * 8][][]byte // reusable, by size class (classBelow)
	bytes   int64            // retired and free
	max     int64
	reused  int // buffers handed out again, for the tests
}

type retiredBuffer struct {
	epoch uint64
	b     []byte
}

// minRecycled is the smallest buffer worth keeping: smaller ones cost the
// allocator little and the collector less.
const minRecycled = 512

// Recycle makes c hand the buffers of the blob versions it evicts to the
// objects it rebuilds later, keeping at most a quarter of its budget for
// them. Call it before any Repo opens with c; each of them must then Hold
// and Release around what it reads (see recycler). It returns c.
func (c *Cache) Recycle() *Cache {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rec = &recycler{max: c.max / 4}
	c.rec.epoch.Store(1)
	return c
}

// Reused is how many buffers c handed out again.
func (c *Cache) Reused() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rec == nil {
		return 0
	}
	return c.rec.reused
}

// addReader registers a Repo reading through c: holding from now on
// until its first Release. Nil when c does not recycle.
func (c *Cache) addReader() *atomic.Uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rec == nil {
		return nil
	}
	h := new(atomic.Uint64)
	h.Store(c.rec.epoch.Load())
	c.rec.readers = append(c.rec.readers, h)
	return h
}

func (c *Cache) removeReader(h *atomic.Uint64) {
	if h == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rs := c.rec.readers
	for i := range rs {
		if rs[i] == h {
			c.rec.readers = append(rs[:i], rs[i+1:]...)
			return
		}
	}
}

// Hold says r is about to read through its recycling cache: what it
// reads stays unchanged until Release. Once r has released, reading
// outside Hold and Release is unsafe. A no-op for other caches.
func (r *Repo) Hold() {
	if r.reader != nil {
		r.reader.Store(r.packs.cache.rec.epoch.Load())
	}
}

// Release says r no longer uses anything it read since Hold.
func (r *Repo) Release() {
	if r.reader != nil {
		r.reader.Store(0)
	}
}

// buffer returns an empty slice with room for n bytes: a recycled buffer
// when one of n's class is free, else a new one of the class's size.
func (c *Cache) buffer(n int) []byte {
	if c.rec == nil || n < minRecycled {
		return newBuffer(n)
	}
	c.mu.Lock()
	b := c.rec.take(n)
	c.mu.Unlock()
	if b == nil {
		_, size := classAbove(n)
		return newBuffer(size)
	}
	return b[:0]
}

// retire keeps the buffer of an evicted entry for reuse (under c.mu).
func (rc *recycler) retire(e cacheEntry) {
	b := e.data
	if e.typ != plumbing.BlobObject || cap(b) < minRecycled {
		return
	}
	if rc.bytes+int64(cap(b)) > rc.max {
		// Full of buffers no read asked for: start again.
		for i := range rc.free {
			for _, f := range rc.free[i] {
				rc.bytes -= int64(cap(f))
			}
			rc.free[i] = nil
		}
		if rc.bytes+int64(cap(b)) > rc.max {
			return
		}
	}
	rc.retired = append(rc.retired, retiredBuffer{epoch: rc.epoch.Add(1) - 1, b: b})
	rc.bytes += int64(cap(b))
}

// take returns a free buffer of at least n bytes, or nil (under c.mu).
func (rc *recycler) take(n int) []byte {
	// Free what no reader can hold any more: evicted before the earliest
	// epoch a reader holds from.
	safe := uint64(math.MaxUint64)
	for _, h := range rc.readers {
		if e := h.Load(); e != 0 && e < safe {
			safe = e
		}
	}
	k := 0
	for ; k < len(rc.retired) && rc.retired[k].epoch < safe; k++ {
		b := rc.retired[k].b
		class, _ := classBelow(cap(b))
		rc.free[class] = append(rc.free[class], b)
	}
	if k > 0 {
		clear(rc.retired[:k])
		rc.retired = rc.retired[k:]
	}
	class, _ := classAbove(n)
	l := rc.free[class]
	if len(l) == 0 {
		return nil
	}
	b := l[len(l)-1]
	l[len(l)-1] = nil
	rc.free[class] = l[:len(l)-1]
	rc.bytes -= int64(cap(b))
	rc.reused++
	return b
}

// Buffers are kept in size classes an eighth of a power of two apart, so
// that any buffer of a request's class fits it, and new buffers are made
// at their class's size (at most an eighth more than asked for).

// classAbove is the smallest class holding n bytes (n ≥ minRecycled),
// and its size.
func classAbove(n int) (int, int) {
	e := bits.Len(uint(n)) - 4 // n is m<<e and more, m in 8..15
	m := n >> e
	if n != m<<e {
		if m++; m == 16 {
			e, m = e+1, 8
		}
	}
	return e*8 + m - 8, m << e
}

// classBelow is the largest class a buffer of c bytes can serve.
func classBelow(c int) (int, int) {
	e := bits.Len(uint(c)) - 4
	m := c >> e
	return e*8 + m - 8, m << e
}
