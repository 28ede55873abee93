package gitrepo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// packIndex is a pack index (.idx) of version 1 or 2, memory mapped and
// searched in place: no per-object allocation and no start-up cost however
// many objects the pack holds (go-git's reader decodes the whole file into
// maps).
//
// Version 2: magic, version, 256 fanout counts, n names, n CRCs, n 4-byte
// offsets (high bit set: index into the 8-byte offsets that follow), then
// the pack and index checksums. Version 1 (git before 1.5.2, or
// pack.indexVersion=1): 256 fanout counts, then n × (4-byte offset, name),
// then the checksums; it cannot hold offsets past 4 GiB.
type packIndex struct {
	data   []byte
	unmap  func() error
	n      int
	fanout []byte // 256 big-endian counts
	// Entry i's name is names[i*stride:][:20]; its offset is the 4 bytes at
	// offsets[i*stride:].
	names   []byte
	offsets []byte
	stride  int
	large   []byte // version 2: 8 bytes each
}

var errBadIndex = errors.New("corrupt pack index")

func openPackIndex(path string) (*packIndex, error) {
	sm, unmap, err := mapShared(path)
	if err != nil {
		return nil, err
	}
	data := sm.data
	ix, err := parsePackIndex(data)
	if err != nil {
		unmap()
		return nil, err
	}
	ix.unmap = unmap
	return ix, nil
}

// parsePackIndex reads the layout of an index held in data.
func parsePackIndex(data []byte) (*packIndex, error) {
	ix := &packIndex{data: data, unmap: func() error { return nil }}
	p := 0
	v2 := len(data) >= 8 && bytes.Equal(data[:4], []byte("\xfftOc"))
	if v2 {
		if v := binary.BigEndian.Uint32(data[4:8]); v != 2 {
			return nil, fmt.Errorf("version %d: %w", v, errBadIndex)
		}
		p = 8
	}
	if len(data) < p+256*4+40 {
		return nil, fmt.Errorf("%d bytes: %w", len(data), errBadIndex)
	}
	ix.fanout = data[p : p+256*4]
	prev := uint32(0)
	for i := range 256 {
		c := binary.BigEndian.Uint32(ix.fanout[i*4:])
		if c < prev {
			return nil, fmt.Errorf("fanout not monotonic: %w", errBadIndex)
		}
		prev = c
	}
	n := uint64(prev)
	p += 256 * 4
	rest := uint64(len(data) - p - 40) // bytes between the fanout and the checksums
	if !v2 {
		if rest != n*24 {
			return nil, fmt.Errorf("%d objects in %d bytes: %w", n, rest, errBadIndex)
		}
		ix.n, ix.stride = int(n), 24
		ix.offsets = data[p : p+ix.n*24]
		ix.names = data[p+4 : p+ix.n*24]
		return ix, nil
	}
	// At most n-1 offsets need 64 bits (git's bound).
	if rest < n*28 || (rest-n*28)%8 != 0 || rest-n*28 > max(n, 1)*8-8 {
		return nil, fmt.Errorf("%d objects in %d bytes: %w", n, rest, errBadIndex)
	}
	ix.n, ix.stride = int(n), 20
	ix.names = data[p : p+ix.n*20]
	p += ix.n * 20
	p += ix.n * 4 // CRCs
	ix.offsets = data[p : p+ix.n*4]
	p += ix.n * 4
	ix.large = data[p : len(data)-40]
	return ix, nil
}

// find returns the pack offset of h. Names are SHA-1s, spread evenly, so
// the first probe goes where h would sit in its fanout bucket, then the
// search gallops away from it until h is bracketed: a few probes close
// together, where a binary search of the bucket made ten far apart (8% of
// a history scan's time, mostly cache misses).
func (ix *packIndex) find(h Hash) (int64, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(ix.fanout[int(h[0]-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(ix.fanout[int(h[0])*4:]))
	if n := hi - lo; n > 16 {
		guess, _ := bits.Mul64(binary.BigEndian.Uint64(h[1:9]), uint64(n))
		g := lo + int(guess)
		switch c := ix.compare(g, h); {
		case c == 0:
			return ix.offset(g)
		case c < 0:
			lo = g + 1
			for step := 8; lo < hi; step *= 2 {
				if next := min(g+step, hi-1); ix.compare(next, h) < 0 {
					lo = next + 1
				} else {
					hi = next + 1
					break
				}
			}
		default:
			hi = g
			for step := 8; lo < hi; step *= 2 {
				if next := max(g-step, lo); ix.compare(next, h) > 0 {
					hi = next
				} else {
					lo = next
					break
				}
			}
		}
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := ix.compare(mid, h); {
		case c == 0:
			return ix.offset(mid)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// compare compares entry i's name with h.
func (ix *packIndex) compare(i int, h Hash) int {
	return bytes.Compare(ix.names[i*ix.stride:i*ix.stride+20], h[:])
}

// offset is the pack offset of entry i; -1 (out of any pack's range, so
// read as corrupt) when a 64-bit offset is missing.
func (ix *packIndex) offset(i int) (int64, bool) {
	if ix.stride == 24 {
		return int64(binary.BigEndian.Uint32(ix.offsets[i*24:])), true
	}
	off := binary.BigEndian.Uint32(ix.offsets[i*4:])
	if off&0x80000000 == 0 {
		return int64(off), true
	}
	k := int(off&0x7fffffff) * 8
	if k+8 > len(ix.large) {
		return -1, true
	}
	return int64(binary.BigEndian.Uint64(ix.large[k:])), true
}
