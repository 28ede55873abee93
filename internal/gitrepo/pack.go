package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/tokenguard/tokenguard/internal/inflate"
)

// packs reads objects straight from the pack files: find the offset in the
// .idx, inflate, and rebuild deltas from bases kept in an offset-keyed
// cache. Consecutive versions of a file are delta chains over one another,
// so most reads are a cache hit plus one patch. go-git's own reader copies
// each object several times, hashes every object it caches and decodes each
// .idx into maps up front; skipping that halves the cost of a history scan
// and keeps a commit hook's start-up independent of the repository's size.
type packs struct {
	files  []*pack
	opened map[string]bool // .idx paths mapped or found broken
	broken []error         // packs that could not be opened, named
	cache  *Cache
	br     *bytes.Reader
	// found remembers where the last objects were, by their name's second
	// byte: a history scan reads most objects twice in a row (a version as
	// the earlier side of one pair, then as the newer side of the next; a
	// tree as a commit's, then as its parent's), and a lookup in a large
	// index is a few cache misses.
	found [256]located
}

type located struct {
	h   Hash
	pi  int
	off int64
}

type pack struct {
	idx   *packIndex
	data  []byte // the mapped pack file
	id    uint32 // the mapping's, the same in every Repo of the process
	m     *sharedMap
	unmap func() error
}

func newPacks(cache *Cache) *packs {
	return &packs{cache: cache, br: bytes.NewReader(nil), opened: map[string]bool{}}
}

// scan maps every pack of the object directories not mapped yet, in
// order. A pack that cannot be opened is remembered, not skipped: a read
// that finds its object nowhere else fails naming that pack, since the
// object may be in it (git does the same). It reports whether a pack was
// added.
func (p *packs) scan(dirs []string) bool {
	added := false
	for _, dir := range dirs {
		idxs, err := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
		if err != nil {
			p.broken = append(p.broken, err)
		}
		for _, ip := range idxs {
			if p.opened[ip] {
				continue
			}
			pp := strings.TrimSuffix(ip, ".idx") + ".pack"
			if _, err := os.Stat(pp); errors.Is(err, os.ErrNotExist) {
				continue // an index whose pack is gone holds nothing: git skips it too
			}
			p.opened[ip] = true
			pk, err := openPack(ip, pp)
			if err != nil {
				p.broken = append(p.broken, err)
				continue
			}
			p.files = append(p.files, pk)
			added = true
		}
	}
	return added
}

func openPack(idxPath, packPath string) (*pack, error) {
	idx, err := openPackIndex(idxPath)
	if err != nil {
		return nil, fmt.Errorf("pack index %s: %w", idxPath, err)
	}
	m, unmap, err := mapShared(packPath)
	var pathErr *os.PathError
	switch {
	case errors.As(err, &pathErr):
		idx.unmap()
		return nil, err // names the file already
	case err != nil:
		idx.unmap()
		return nil, fmt.Errorf("pack %s: %w", packPath, err)
	}
	data := m.data
	if len(data) < 32 || !bytes.Equal(data[:4], []byte("PACK")) {
		unmap()
		idx.unmap()
		return nil, fmt.Errorf("pack %s: no pack header: %w", packPath, errCorruptPack)
	}
	return &pack{idx: idx, data: data, id: m.id, m: m, unmap: unmap}, nil
}

// unreadable is the error for an object found in no readable pack while
// some pack could not be opened; nil when every pack is readable.
func (p *packs) unreadable() error {
	if len(p.broken) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, errors.Join(p.broken...))
}

func (p *packs) close() {
	for _, f := range p.files {
		f.unmap()
		f.idx.unmap()
	}
	p.files = nil
	p.found = [256]located{}
}

// errCorruptPack is pack data that cannot be what it claims.
var errCorruptPack = errors.New("corrupt pack data")

// errNotInPack sends the caller on to the loose objects.
var errNotInPack = errors.New("not in a pack")

// read returns the type and content of object h.
func (p *packs) read(h Hash) (plumbing.ObjectType, []byte, error) {
	return p.readMax(h, 0)
}

// errTooLarge is an object over the size asked for, left unread.
var errTooLarge = errors.New("object too large")

// readMax is read, but an object larger than max (when max > 0) is not
// rebuilt: errTooLarge. A delta's target size is in its own header, so
// neither the object nor its base chain is read.
func (p *packs) readMax(h Hash, max int64) (plumbing.ObjectType, []byte, error) {
	return p.readDepth(h, max, 0)
}

// readDepth is readMax at a depth of a delta chain (0: the object asked for).
func (p *packs) readDepth(h Hash, max int64, depth int) (plumbing.ObjectType, []byte, error) {
	pi, off, ok := p.locate(h)
	if !ok {
		return 0, nil, errNotInPack
	}
	return p.atMax(pi, off, depth, max)
}

// locate finds the pack and offset of object h.
func (p *packs) locate(h Hash) (int, int64, bool) {
	slot := &p.found[h[1]]
	if slot.h == h && !h.IsZero() {
		return slot.pi, slot.off, true
	}
	for i, pk := range p.files {
		if off, ok := pk.idx.find(h); ok {
			*slot = located{h: h, pi: i, off: off}
			return i, off, true
		}
	}
	return 0, 0, false
}

// size returns the type and inflated size of object h without reading it,
// when it is stored whole; deltas report the delta's target size.
func (p *packs) size(h Hash) (plumbing.ObjectType, int64, error) {
	pi, off, ok := p.locate(h)
	if !ok {
		return 0, 0, errNotInPack
	}
	e, err := p.entryAt(pi, off, 0)
	if err != nil {
		return 0, 0, err
	}
	if !e.isDelta() {
		return e.typ, e.size, nil
	}
	// The delta's header holds the base size, then the target size.
	d, err := inflatePrefix(p.entryData(pi), e.size, min(e.size, 32))
	if err != nil {
		return 0, 0, err
	}
	return plumbing.AnyObject, deltaTarget(d), nil
}

const maxDeltaDepth = 10000

func (p *packs) at(pi int, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	return p.atMax(pi, off, depth, 0)
}

func (p *packs) atMax(pi int, off int64, depth int, max int64) (plumbing.ObjectType, []byte, error) {
	key := cacheKey{pack: p.files[pi].id, off: off}
	if e, ok := p.cache.get(key, depth > 0); ok {
		if max > 0 && int64(len(e.data)) > max {
			return 0, nil, errTooLarge
		}
		return e.typ, e.data, nil
	}
	h, err := p.entryAt(pi, off, depth)
	if err != nil {
		return 0, nil, err
	}
	if !h.isDelta() {
		if max > 0 && h.size > max {
			return 0, nil, errTooLarge
		}
		data, err := p.inflateAt(pi, off, h.size, p.cache.buffer)
		if err != nil {
			return 0, nil, err
		}
		p.cache.put(key, cacheEntry{typ: h.typ, data: data}, depth > 0, true)
		return h.typ, data, nil
	}
	// Not a recycled buffer: a large object's description keeps its
	// deltas (compose.go).
	delta, err := p.inflateAt(pi, off, h.size, newBuffer)
	if err != nil {
		return 0, nil, err
	}
	target := deltaTarget(delta)
	if max > 0 && target > max {
		return 0, nil, errTooLarge
	}
	var typ plumbing.ObjectType
	var data []byte
	if target >= composeMin {
		typ, data, err = p.composeAt(pi, off, h, delta, depth)
	} else {
		var base []byte
		if typ, base, err = p.baseOf(pi, off, h, depth+1); err != nil {
			return 0, nil, err
		}
		if data, err = patchDelta(base, delta, p.cache.buffer); err != nil {
			err = fmt.Errorf("pack offset %d: %w", off, err)
		}
	}
	if err != nil {
		return 0, nil, err
	}
	p.cache.put(key, cacheEntry{typ: typ, data: data}, depth > 0, false)
	return typ, data, nil
}

// composeAt rebuilds the large delta at off without rebuilding its bases:
// they are described (composedAt), and only this object is written out.
func (p *packs) composeAt(pi int, off int64, h entryHeader, delta []byte, depth int) (plumbing.ObjectType, []byte, error) {
	c, err := p.composeDelta(pi, off, h, delta, depth)
	if err != nil {
		return 0, nil, err
	}
	root, err := p.rootOf(c, depth+1)
	if err != nil {
		return 0, nil, err
	}
	data, err := c.write(root, p.cache.buffer)
	if err != nil {
		return 0, nil, fmt.Errorf("pack offset %d: %w", off, err)
	}
	return c.typ, data, nil
}

// entryHeader is what a pack entry's header says.
type entryHeader struct {
	typ      plumbing.ObjectType
	size     int64 // inflated: the object's, or the delta's
	baseOff  int64 // an ofs-delta's base, else -1
	baseHash Hash  // a ref-delta's base
}

func (h entryHeader) isDelta() bool {
	return h.typ == plumbing.OFSDeltaObject || h.typ == plumbing.REFDeltaObject
}

// entryAt reads the header of the entry at off, leaving p.br at its data.
func (p *packs) entryAt(pi int, off int64, depth int) (entryHeader, error) {
	pk := p.files[pi]
	if depth > maxDeltaDepth {
		return entryHeader{}, fmt.Errorf("delta chain too deep at offset %d", off)
	}
	if off < 0 || off >= int64(len(pk.data)) {
		return entryHeader{}, fmt.Errorf("pack offset %d out of range", off)
	}
	p.br.Reset(pk.data[off:])
	typ, size, err := header(p.br)
	if err != nil {
		return entryHeader{}, err
	}
	h := entryHeader{typ: typ, size: size, baseOff: -1}
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	case plumbing.OFSDeltaObject:
		d, err := ofsDistance(p.br)
		if err != nil {
			return entryHeader{}, err
		}
		h.baseOff = off - d
	case plumbing.REFDeltaObject:
		// Not io.ReadFull: through an interface the header escaped to the
		// heap, one allocation per object read.
		if n, _ := p.br.Read(h.baseHash[:]); n < len(h.baseHash) {
			return entryHeader{}, io.ErrUnexpectedEOF
		}
	default:
		return entryHeader{}, fmt.Errorf("pack offset %d: object type %d: %w", off, typ, errCorruptPack)
	}
	return h, nil
}

// entryData is the pack from the data of the entry whose header entryAt
// just read.
func (p *packs) entryData(pi int) []byte {
	pk := p.files[pi]
	return pk.data[len(pk.data)-p.br.Len():]
}

// inflateAt inflates the data of the entry whose header entryAt just read,
// into a buffer from alloc.
func (p *packs) inflateAt(pi int, off, size int64, alloc func(int) []byte) ([]byte, error) {
	pk := p.files[pi]
	src := p.entryData(pi)
	data, used, err := inflateEntry(src, size, alloc)
	if err != nil {
		return nil, fmt.Errorf("pack offset %d: %w", off, err)
	}
	if pk.m != nil {
		pk.m.consumed(int64(len(pk.data)-len(src)) - off + int64(used)) // header and stream
	}
	return data, nil
}

// baseOf returns the rebuilt base of the delta at off.
func (p *packs) baseOf(pi int, off int64, h entryHeader, depth int) (plumbing.ObjectType, []byte, error) {
	if h.baseOff >= 0 {
		return p.at(pi, h.baseOff, depth)
	}
	typ, base, err := p.readDepth(h.baseHash, 0, depth)
	if errors.Is(err, errNotInPack) {
		err = noBase(off, h.baseHash)
	}
	return typ, base, err
}

// noBase is a ref-delta whose base is in no pack. git keeps a ref-delta's
// base in a pack too (index-pack completes thin packs): not finding it is
// corruption, not this object being absent.
func noBase(off int64, base Hash) error {
	return fmt.Errorf("pack offset %d: delta base %s in no pack: %w", off, base, errCorruptPack)
}

// composedAt describes the object at off as pieces of its chain's root.
func (p *packs) composedAt(pi int, off int64, depth int) (*composed, error) {
	pk := p.files[pi]
	if e, ok := p.cache.get(cacheKey{pack: pk.id, off: off, composed: 1}, true); ok {
		return e.c, nil
	}
	key := cacheKey{pack: pk.id, off: off}
	if e, ok := p.cache.get(key, true); ok {
		return whole(key, e.typ, int64(len(e.data))), nil // rebuilt already: a root as good as any
	}
	h, err := p.entryAt(pi, off, depth)
	if err != nil {
		return nil, err
	}
	if !h.isDelta() {
		return whole(key, h.typ, h.size), nil
	}
	delta, err := p.inflateAt(pi, off, h.size, newBuffer)
	if err != nil {
		return nil, err
	}
	c, err := p.composeDelta(pi, off, h, delta, depth)
	if err != nil {
		return nil, err
	}
	p.cache.put(cacheKey{pack: pk.id, off: off, composed: 1}, cacheEntry{typ: c.typ, c: c}, true, false)
	return c, nil
}

// composeDelta describes the delta at off applied to its base.
func (p *packs) composeDelta(pi int, off int64, h entryHeader, delta []byte, depth int) (*composed, error) {
	bi, boff := pi, h.baseOff
	if boff < 0 {
		var ok bool
		if bi, boff, ok = p.locate(h.baseHash); !ok {
			return nil, noBase(off, h.baseHash)
		}
	}
	base, err := p.composedAt(bi, boff, depth+1)
	if err != nil {
		return nil, err
	}
	c, err := compose(base, delta)
	if err != nil {
		return nil, fmt.Errorf("pack offset %d: %w", off, err)
	}
	return c, nil
}

// rootOf returns the bytes of a description's root.
func (p *packs) rootOf(c *composed, depth int) ([]byte, error) {
	for i, pk := range p.files {
		if pk.id == c.root.pack {
			_, data, err := p.at(i, c.root.off, depth)
			return data, err
		}
	}
	return nil, fmt.Errorf("pack offset %d: its delta chain's root is in a pack no longer open: %w", c.root.off, errCorruptPack)
}

// inflateEntry inflates the zlib stream at the start of src, of size
// inflated bytes, and says how many bytes of src it took. The stream's
// checksum is verified, and a stream longer or shorter than its header
// says is corrupt (git checks both). The pack is mapped whole, so the
// stream is decoded from it straight into the object's buffer, from alloc.
func inflateEntry(src []byte, size int64, alloc func(int) []byte) ([]byte, int, error) {
	if err := plausible(src, size); err != nil {
		return nil, 0, err
	}
	buf := alloc(int(size))[:size]
	used, err := inflate.Zlib(buf, src)
	if err != nil {
		return nil, 0, fmt.Errorf("inflating %d bytes: %w: %w", size, errCorruptPack, err)
	}
	return buf, used, nil
}

// inflatePrefix inflates the first n bytes of the zlib stream at the start
// of src, of size inflated bytes, unchecked (enough for a delta's header).
func inflatePrefix(src []byte, size, n int64) ([]byte, error) {
	if err := plausible(src, size); err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if err := inflate.ZlibPrefix(buf, src); err != nil {
		return nil, fmt.Errorf("inflated data shorter than the %d bytes the header says: %w: %w", size, errCorruptPack, err)
	}
	return buf, nil
}

// plausible refuses an inflated size that src cannot hold: deflate expands
// at most ~1032 times, and a larger claim must not be allocated.
func plausible(src []byte, size int64) error {
	if size < 0 || size > int64(len(src)+64)*1032 {
		return fmt.Errorf("object size %d: %w", size, errCorruptPack)
	}
	return nil
}

func header(r *bytes.Reader) (plumbing.ObjectType, int64, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, 0, err
	}
	typ := plumbing.ObjectType((b >> 4) & 7)
	size := int64(b & 15)
	for shift := 4; b&0x80 != 0; shift += 7 {
		if b, err = r.ReadByte(); err != nil {
			return 0, 0, err
		}
		size |= int64(b&0x7f) << shift
	}
	return typ, size, nil
}

func ofsDistance(r *bytes.Reader) (int64, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	d := int64(b & 0x7f)
	for b&0x80 != 0 {
		if b, err = r.ReadByte(); err != nil {
			return 0, err
		}
		d = (d+1)<<7 | int64(b&0x7f)
	}
	return d, nil
}

// deltaTarget is the target size in a delta's header (base size, then
// target size), from as much of the delta as holds them.
func deltaTarget(d []byte) int64 {
	_, n := deltaSize(d)
	target, _ := deltaSize(d[n:])
	return int64(target)
}

// deltaSize decodes one size varint of a delta header.
func deltaSize(d []byte) (uint64, int) {
	var sz uint64
	for i, shift := 0, 0; i < len(d); i, shift = i+1, shift+7 {
		sz |= uint64(d[i]&0x7f) << shift
		if d[i]&0x80 == 0 {
			return sz, i + 1
		}
	}
	return sz, len(d)
}

// cacheKey names an object by its place in a pack. It has no padding, so
// the cache's map hashes it as 16 plain bytes (a bool field made every
// lookup hash field by field: 4% of a large history scan).
type cacheKey struct {
	off      int64
	pack     uint32 // sharedMap.id
	composed uint32 // 1: the object's description (compose.go), not its bytes
}

type cacheEntry struct {
	typ  plumbing.ObjectType
	data []byte
	c    *composed // instead of data, under a composed key
}

// cost is what an entry holds in memory: its bytes (or description) and
// the cache's own bookkeeping.
func (e cacheEntry) cost() int64 {
	if e.c != nil {
		return e.c.cost() + cacheBookkeeping
	}
	return int64(cap(e.data)) + cacheBookkeeping
}

// cacheBookkeeping is what the cache spends on an entry besides its
// content: the item, its list element and its map slot. Counting only the
// content, a cache of trees of a few hundred bytes each took 1.5 times its
// budget.
const cacheBookkeeping = 160

// Cache is a byte-bounded cache of objects rebuilt from pack files, delta
// bases included. Repos opened with the same Cache (Options.Shared) share
// it: a history scan's workers take turns on runs of commits, so the
// version of a file one worker rebuilt is the delta base the next needs
// (with a cache each, every worker rebuilt long delta chains of large
// files for itself). It is safe for concurrent use; the objects it holds
// are never modified.
//
// Like git's delta base cache it favours delta bases. An object rebuilt
// only as what was asked for (a leaf) is read again once or twice at most
// (a file's version, then as the parent of its next change), while a base
// is what every object below it in its chain is rebuilt from, and a chain's
// root, stored whole, costs a full inflate to get back. git repacks by
// size, not by age, so a file's versions form a delta tree in no useful
// order: with one LRU for everything, leaves pushed out bases and roots.
// So each kind has an LRU of its own and a share of the budget it may not
// exceed; within the shares, the kind cheapest to get back goes first.
type Cache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	lists [numKinds]lru
	sizes [numKinds]int64
	m     map[cacheKey]*cacheItem
	rec   *recycler // nil unless Recycle
}

// The kinds of cached object, cheapest to get back first.
const (
	kindLeaf     = iota // asked for, never used as a delta base yet
	kindComposed        // a large object's description: its deltas composed again
	kindBase            // a delta base rebuilt from its own base
	kindRoot            // a delta base stored whole
	numKinds
)

// shares are each kind's most, in parts of the budget: leaves are read
// again once or twice at most, descriptions are small, and roots of large
// files would otherwise crowd out every base.
var shares = [numKinds]int64{kindLeaf: 4, kindComposed: 8, kindBase: 1, kindRoot: 8}

// cacheItem is an entry and its place in its kind's LRU list. The links
// are in the item (not a container/list element beside it): a history scan
// caches hundreds of thousands of objects, and a second allocation each
// was garbage to collect.
type cacheItem struct {
	key        cacheKey
	e          cacheEntry
	kind       int
	whole      bool
	prev, next *cacheItem
}

// lru is a doubly linked list of items, most recently used first, around
// a sentinel (root.next is the front, root.prev the back).
type lru struct {
	root cacheItem
	n    int
}

func (l *lru) init() {
	l.root.prev, l.root.next, l.n = &l.root, &l.root, 0
}

func (l *lru) pushFront(it *cacheItem) {
	it.prev, it.next = &l.root, l.root.next
	l.root.next.prev = it
	l.root.next = it
	l.n++
}

func (l *lru) remove(it *cacheItem) {
	it.prev.next, it.next.prev = it.next, it.prev
	it.prev, it.next = nil, nil
	l.n--
}

func (l *lru) back() *cacheItem { return l.root.prev }

// NewCache returns a cache of at most max bytes of object content.
func NewCache(max int64) *Cache {
	c := &Cache{max: max, m: map[cacheKey]*cacheItem{}}
	for i := range c.lists {
		c.lists[i].init()
	}
	return c
}

// Clear drops everything cached.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
	for i := range c.lists {
		c.lists[i].init()
		c.sizes[i] = 0
	}
	c.used = 0
}

// get returns k's object; asBase says it is wanted to rebuild a delta,
// which makes a cached leaf a base.
func (c *Cache) get(k cacheKey, asBase bool) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.m[k]
	if !ok {
		return cacheEntry{}, false
	}
	kind := it.kind
	if kind == kindLeaf && asBase {
		kind = kindOf(true, it.whole)
	}
	c.lists[it.kind].remove(it)
	c.sizes[it.kind] -= it.e.cost()
	c.add(it, kind)
	return it.e, true
}

func kindOf(asBase, whole bool) int {
	switch {
	case !asBase:
		return kindLeaf
	case whole:
		return kindRoot
	}
	return kindBase
}

// put adds k's object: asBase when it was rebuilt as a delta base, whole
// when the pack stores it whole. A description is always kindComposed.
func (c *Cache) put(k cacheKey, e cacheEntry, asBase, whole bool) {
	n := e.cost()
	if n > c.max/4 {
		return // one huge object would flush everything else
	}
	kind := kindOf(asBase, whole)
	if k.composed == 1 {
		kind = kindComposed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	it := &cacheItem{key: k, e: e, whole: whole}
	c.m[k] = it
	c.add(it, kind)
	c.used += n
	for c.used > c.max {
		c.evict()
	}
}

// add puts it at the front of kind's list.
func (c *Cache) add(it *cacheItem, kind int) {
	it.kind = kind
	c.lists[kind].pushFront(it)
	c.sizes[kind] += it.e.cost()
}

// evict drops the least recently used object of a kind over its share,
// else of the kind cheapest to get back after leaves: a leaf within its
// share goes last, since it is the next read of a file's version.
func (c *Cache) evict() {
	it := c.victim()
	c.lists[it.kind].remove(it)
	delete(c.m, it.key)
	c.sizes[it.kind] -= it.e.cost()
	c.used -= it.e.cost()
	if c.rec != nil {
		c.rec.retire(it.e)
	}
}

// victim is evict's choice.
func (c *Cache) victim() *cacheItem {
	for k := range numKinds {
		if c.sizes[k] > c.max/shares[k] && c.lists[k].n > 0 {
			return c.lists[k].back()
		}
	}
	for _, k := range []int{kindComposed, kindBase, kindRoot, kindLeaf} {
		if c.lists[k].n > 0 {
			return c.lists[k].back()
		}
	}
	return nil // not reached: evict runs only while something is cached
}
