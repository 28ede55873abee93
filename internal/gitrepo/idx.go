package gitrepo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
)

// packIndex is a version 2 pack index (.idx), memory mapped and searched
// in place: no per-object allocation and no start-up cost however many
// objects the pack holds (go-git's reader decodes the whole file into maps).
type packIndex struct {
	data    []byte
	unmap   func() error
	n       int
	fanout  []byte // 256 big-endian counts
	names   []byte // n × 20
	offsets []byte // n × 4
	large   []byte // 8 bytes each
}

var errBadIndex = errors.New("unsupported or corrupt pack index")

func openPackIndex(path string) (*packIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, unmap, err := mapFile(f)
	if err != nil {
		return nil, err
	}
	ix := &packIndex{data: data, unmap: unmap}
	if len(data) < 8+256*4+40 || !bytes.Equal(data[:4], []byte("\xfftOc")) || binary.BigEndian.Uint32(data[4:8]) != 2 {
		unmap()
		return nil, errBadIndex
	}
	ix.fanout = data[8 : 8+256*4]
	ix.n = int(binary.BigEndian.Uint32(ix.fanout[255*4:]))
	p := 8 + 256*4
	need := p + ix.n*(20+4+4) + 40
	if ix.n < 0 || len(data) < need {
		unmap()
		return nil, errBadIndex
	}
	ix.names = data[p : p+ix.n*20]
	p += ix.n * 20
	p += ix.n * 4 // CRCs
	ix.offsets = data[p : p+ix.n*4]
	p += ix.n * 4
	ix.large = data[p : len(data)-40]
	return ix, nil
}

// find returns the pack offset of h.
func (ix *packIndex) find(h Hash) (int64, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(ix.fanout[int(h[0]-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(ix.fanout[int(h[0])*4:]))
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(ix.names[mid*20:mid*20+20], h[:]); {
		case c == 0:
			off := binary.BigEndian.Uint32(ix.offsets[mid*4:])
			if off&0x80000000 == 0 {
				return int64(off), true
			}
			k := int(off&0x7fffffff) * 8
			if k+8 > len(ix.large) {
				return 0, false
			}
			return int64(binary.BigEndian.Uint64(ix.large[k:])), true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}
