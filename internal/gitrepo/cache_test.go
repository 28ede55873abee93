package gitrepo

import "testing"

// Entries in the first tests cost n units, bookkeeping included: the
// budget is 100 units.
const unit = 1 << 10

func sized(n int) cacheEntry {
	return cacheEntry{data: make([]byte, n*unit-cacheBookkeeping)}
}

// The cache keeps delta bases and chain roots over leaves: a run of large
// leaves (file versions asked for once) must not push out the base every
// one of them is rebuilt from, and the budget holds throughout.
func TestCacheKeepsBasesOverLeaves(t *testing.T) {
	c := NewCache(100 * unit)
	entry := sized
	c.put(cacheKey{pack: 1, off: 0}, entry(20), true, true)  // a root
	c.put(cacheKey{pack: 1, off: 1}, entry(20), true, false) // a base rebuilt from it
	for i := range 20 {
		c.put(cacheKey{pack: 1, off: int64(100 + i)}, entry(20), false, false) // leaves
		if c.used > c.max {
			t.Fatalf("after leaf %d: %d bytes cached, budget %d", i, c.used, c.max)
		}
	}
	for _, off := range []int64{0, 1} {
		if _, ok := c.get(cacheKey{pack: 1, off: off}, true); !ok {
			t.Errorf("object at offset %d was evicted by leaves", off)
		}
	}
	if _, ok := c.get(cacheKey{pack: 1, off: 119}, false); !ok {
		t.Error("the most recent leaf was evicted")
	}
	if _, ok := c.get(cacheKey{pack: 1, off: 100}, false); ok {
		t.Error("the oldest leaf is still cached past the leaves' share")
	}
}

// A leaf asked for again as a delta base becomes a base; bases go before
// roots once leaves are within their share; objects over a quarter of the
// budget are not cached at all.
func TestCachePromotesAndEvictsInOrder(t *testing.T) {
	c := NewCache(100 * unit)
	entry := sized
	c.put(cacheKey{pack: 1, off: 1}, entry(10), false, true) // a whole object, asked for
	if _, ok := c.get(cacheKey{pack: 1, off: 1}, true); !ok {
		t.Fatal("leaf not cached")
	}
	if it := c.m[cacheKey{pack: 1, off: 1}]; it.kind != kindRoot {
		t.Fatalf("whole object used as a base has kind %d, want root", it.kind)
	}
	c.put(cacheKey{pack: 1, off: 2}, entry(25), true, false)
	c.put(cacheKey{pack: 1, off: 3}, entry(25), true, false)
	c.put(cacheKey{pack: 1, off: 4}, entry(25), true, false)
	c.put(cacheKey{pack: 1, off: 5}, entry(25), true, false) // over budget: the oldest base goes
	if _, ok := c.m[cacheKey{pack: 1, off: 2}]; ok {
		t.Error("oldest base kept")
	}
	if _, ok := c.m[cacheKey{pack: 1, off: 1}]; !ok {
		t.Error("root evicted before a base")
	}
	c.put(cacheKey{pack: 1, off: 6}, entry(26), true, false)
	if _, ok := c.m[cacheKey{pack: 1, off: 6}]; ok {
		t.Error("object over a quarter of the budget cached")
	}
	if c.used > c.max {
		t.Errorf("%d bytes cached, budget %d", c.used, c.max)
	}
}

// Descriptions of composed objects are counted by what they hold and have
// a share of their own (an eighth): when something must go, descriptions
// over their share go first, before any base. A description and the object's bytes are
// cached under two keys.
func TestCacheKeepsDescriptionsToTheirShare(t *testing.T) {
	c := NewCache(1 << 20)
	desc := func(pieces int) cacheEntry {
		return cacheEntry{c: &composed{pieces: make([]piece, pieces)}}
	}
	per := desc(1000).cost() // 32 KB and the bookkeeping
	for i := range 8 {
		c.put(cacheKey{pack: 1, off: int64(10 + i), composed: 1}, desc(1000), true, false)
	}
	for i := range 4 { // 800 KB of bases: 1,056 KB in all, over the budget
		c.put(cacheKey{pack: 1, off: int64(100 + i)}, cacheEntry{data: make([]byte, 200<<10)}, true, false)
	}
	if got := c.sizes[kindComposed]; got != 7*per {
		t.Errorf("descriptions hold %d bytes, want %d: the one evicted, the rest kept", got, 7*per)
	}
	if _, ok := c.m[cacheKey{pack: 1, off: 10, composed: 1}]; ok {
		t.Error("the oldest description kept past the share")
	}
	for i := range 4 {
		if _, ok := c.m[cacheKey{pack: 1, off: int64(100 + i)}]; !ok {
			t.Errorf("base %d evicted while descriptions were over their share", i)
		}
	}
	c.put(cacheKey{pack: 1, off: 100, composed: 1}, desc(10), true, false)
	if _, ok := c.get(cacheKey{pack: 1, off: 100}, false); !ok {
		t.Error("the description of an object replaced its bytes")
	}
	if c.used > c.max {
		t.Errorf("%d bytes cached, budget %d", c.used, c.max)
	}
}

// Small objects (trees of a few hundred bytes) are counted with what the
// cache spends on each: a budget of 64 KiB holds fewer than 64 KiB / 160
// entries of 10 bytes, not 6,500 of them.
func TestCacheCountsItsBookkeeping(t *testing.T) {
	c := NewCache(64 << 10)
	for i := range 5000 {
		c.put(cacheKey{pack: 1, off: int64(i)}, cacheEntry{data: make([]byte, 10)}, true, false)
	}
	if n, most := len(c.m), (64<<10)/cacheBookkeeping; n > most {
		t.Errorf("%d entries cached, at most %d fit with their bookkeeping", n, most)
	}
	if c.used > c.max {
		t.Errorf("%d bytes cached, budget %d", c.used, c.max)
	}
}
