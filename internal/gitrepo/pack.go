package gitrepo

import (
	"bytes"
	"compress/zlib"
	"container/list"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
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
	zr     io.ReadCloser
}

type pack struct {
	idx   *packIndex
	data  []byte // the mapped pack file
	id    uint64 // the mapping's, the same in every Repo of the process
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
	for i, pk := range p.files {
		if off, ok := pk.idx.find(h); ok {
			if e, ok := p.cache.get(cacheKey{pk.id, off}, depth > 0); ok {
				if max > 0 && int64(len(e.data)) > max {
					return 0, nil, errTooLarge
				}
				return e.typ, e.data, nil
			}
			return p.atMax(i, off, depth, max)
		}
	}
	return 0, nil, errNotInPack
}

// size returns the type and inflated size of object h without reading it,
// when it is stored whole; deltas report the delta's target size.
func (p *packs) size(h Hash) (plumbing.ObjectType, int64, error) {
	for _, pk := range p.files {
		off, ok := pk.idx.find(h)
		if !ok {
			continue
		}
		if off < 0 || off >= int64(len(pk.data)) {
			return 0, 0, fmt.Errorf("pack offset %d out of range", off)
		}
		p.br.Reset(pk.data[off:])
		typ, size, err := header(p.br)
		if err != nil {
			return 0, 0, err
		}
		switch typ {
		case plumbing.OFSDeltaObject:
			if _, err := ofsDistance(p.br); err != nil {
				return 0, 0, err
			}
		case plumbing.REFDeltaObject:
			if _, err := p.br.Seek(20, io.SeekCurrent); err != nil {
				return 0, 0, err
			}
		default:
			return typ, size, nil
		}
		// The delta's header holds the base size, then the target size.
		d, err := p.inflatePrefix(size, min(size, 32))
		if err != nil {
			return 0, 0, err
		}
		_, n := deltaSize(d)
		target, _ := deltaSize(d[n:])
		return plumbing.AnyObject, int64(target), nil
	}
	return 0, 0, errNotInPack
}

const maxDeltaDepth = 10000

func (p *packs) at(pi int, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	return p.atMax(pi, off, depth, 0)
}

func (p *packs) atMax(pi int, off int64, depth int, max int64) (plumbing.ObjectType, []byte, error) {
	pk := p.files[pi]
	key := cacheKey{pk.id, off}
	if e, ok := p.cache.get(key, depth > 0); ok {
		return e.typ, e.data, nil
	}
	if depth > maxDeltaDepth {
		return 0, nil, fmt.Errorf("delta chain too deep at offset %d", off)
	}
	if off < 0 || off >= int64(len(pk.data)) {
		return 0, nil, fmt.Errorf("pack offset %d out of range", off)
	}
	p.br.Reset(pk.data[off:])
	typ, size, err := header(p.br)
	if err != nil {
		return 0, nil, err
	}
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject, plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
	default:
		return 0, nil, fmt.Errorf("pack offset %d: object type %d: %w", off, typ, errCorruptPack)
	}
	var baseOff int64 = -1
	var baseHash Hash
	isDelta := typ == plumbing.OFSDeltaObject || typ == plumbing.REFDeltaObject
	if max > 0 && !isDelta && size > max {
		return 0, nil, errTooLarge
	}
	switch typ {
	case plumbing.OFSDeltaObject:
		d, err := ofsDistance(p.br)
		if err != nil {
			return 0, nil, err
		}
		baseOff = off - d
	case plumbing.REFDeltaObject:
		if _, err := io.ReadFull(p.br, baseHash[:]); err != nil {
			return 0, nil, err
		}
	}
	data, err := p.inflate(size)
	if err != nil {
		return 0, nil, fmt.Errorf("pack offset %d: %w", off, err)
	}
	if pk.m != nil {
		pk.m.consumed(int64(len(pk.data)) - off - int64(p.br.Len()))
	}
	if isDelta {
		if max > 0 {
			_, n := deltaSize(data)
			if target, _ := deltaSize(data[n:]); int64(target) > max {
				return 0, nil, errTooLarge
			}
		}
		var btyp plumbing.ObjectType
		var base []byte
		if baseOff >= 0 {
			btyp, base, err = p.at(pi, baseOff, depth+1)
		} else {
			btyp, base, err = p.readDepth(baseHash, 0, depth+1)
			if errors.Is(err, errNotInPack) {
				// git keeps a ref-delta's base in a pack too (index-pack
				// completes thin packs): not finding it is corruption, not
				// this object being absent.
				err = fmt.Errorf("pack offset %d: delta base %s in no pack: %w", off, baseHash, errCorruptPack)
			}
		}
		if err != nil {
			return 0, nil, err
		}
		if data, err = patchDelta(base, data); err != nil {
			return 0, nil, fmt.Errorf("pack offset %d: %w", off, err)
		}
		typ = btyp
	}
	p.cache.put(key, cacheEntry{typ: typ, data: data}, depth > 0, !isDelta)
	return typ, data, nil
}

// inflate reads one zlib stream of size inflated bytes from p.br, to its
// end: the stream's checksum is verified only there, and a stream longer
// or shorter than its header says is corrupt (git checks both).
func (p *packs) inflate(size int64) ([]byte, error) {
	buf, err := p.inflatePrefix(size, size)
	if err != nil {
		return nil, err
	}
	if err := streamEnd(p.zr); err != nil {
		return nil, err
	}
	return buf, nil
}

// inflatePrefix reads the first n bytes of a stream of size inflated
// bytes, unchecked (enough for a delta's header).
func (p *packs) inflatePrefix(size, n int64) ([]byte, error) {
	// Deflate expands at most ~1032 times: a larger claim is corrupt.
	if size < 0 || size > int64(p.br.Len()+64)*1032 {
		return nil, fmt.Errorf("object size %d: %w", size, errCorruptPack)
	}
	var err error
	if p.zr == nil {
		p.zr, err = zlib.NewReader(p.br)
	} else {
		err = p.zr.(zlib.Resetter).Reset(p.br, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errCorruptPack, err)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(p.zr, buf); err != nil {
		return nil, fmt.Errorf("inflated data shorter than the %d bytes the header says: %w: %w", size, errCorruptPack, err)
	}
	return buf, nil
}

// streamEnd checks that a zlib stream whose expected content has been read
// ends here with a valid checksum.
func streamEnd(zr io.Reader) error {
	var one [1]byte
	switch _, err := io.ReadFull(zr, one[:]); {
	case err == nil:
		return fmt.Errorf("inflated data longer than its header says: %w", errCorruptPack)
	case err != io.EOF:
		return fmt.Errorf("%w: %w", errCorruptPack, err)
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

type cacheKey struct {
	pack uint64 // sharedMap.id
	off  int64
}

type cacheEntry struct {
	typ  plumbing.ObjectType
	data []byte
}

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
// order: with one LRU for everything, leaves pushed out bases and roots,
// and a history with a 1.6 MB file rebuilt 2.7 times the bytes of its
// blobs. So each kind has an LRU of its own; leaves keep at most a quarter
// of the budget and roots an eighth, and bases go before roots.
type Cache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	lists [numKinds]*list.List
	sizes [numKinds]int64
	m     map[cacheKey]*list.Element
}

// The kinds of cached object, by what they cost to get back.
const (
	kindLeaf = iota // asked for, never used as a delta base yet
	kindBase        // a delta base rebuilt from its own base
	kindRoot        // a delta base stored whole
	numKinds
)

type cacheItem struct {
	key   cacheKey
	e     cacheEntry
	kind  int
	whole bool
}

// NewCache returns a cache of at most max bytes of object content.
func NewCache(max int64) *Cache {
	c := &Cache{max: max, m: map[cacheKey]*list.Element{}}
	for i := range c.lists {
		c.lists[i] = list.New()
	}
	return c
}

// get returns k's object; asBase says it is wanted to rebuild a delta,
// which makes a cached leaf a base.
func (c *Cache) get(k cacheKey, asBase bool) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[k]
	if !ok {
		return cacheEntry{}, false
	}
	it := el.Value.(*cacheItem)
	if it.kind == kindLeaf && asBase {
		c.lists[kindLeaf].Remove(el)
		c.sizes[kindLeaf] -= int64(len(it.e.data))
		c.add(it, kindOf(true, it.whole))
		return it.e, true
	}
	c.lists[it.kind].MoveToFront(el)
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
// when the pack stores it whole.
func (c *Cache) put(k cacheKey, e cacheEntry, asBase, whole bool) {
	n := int64(len(e.data))
	if n > c.max/4 {
		return // one huge object would flush everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	c.add(&cacheItem{key: k, e: e, whole: whole}, kindOf(asBase, whole))
	c.used += n
	for c.used > c.max {
		c.evict()
	}
}

func (c *Cache) add(it *cacheItem, kind int) {
	it.kind = kind
	c.m[it.key] = c.lists[kind].PushFront(it)
	c.sizes[kind] += int64(len(it.e.data))
}

// evict drops the least recently used object of the kind cheapest to get
// back, within the shares above.
func (c *Cache) evict() {
	kind := kindLeaf
	switch {
	case c.sizes[kindLeaf] > c.max/4:
	case c.sizes[kindRoot] > c.max/8 || c.lists[kindBase].Len() == 0 && c.lists[kindRoot].Len() > 0:
		kind = kindRoot
	case c.lists[kindBase].Len() > 0:
		kind = kindBase
	}
	el := c.lists[kind].Back()
	it := el.Value.(*cacheItem)
	c.lists[kind].Remove(el)
	delete(c.m, it.key)
	c.sizes[kind] -= int64(len(it.e.data))
	c.used -= int64(len(it.e.data))
}
