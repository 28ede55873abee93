// Package inflate decodes zlib streams (RFC 1950 around RFC 1951 DEFLATE)
// that are whole in memory into a buffer of the size the caller already
// knows, as a git pack's objects are. The buffer is the window: there is
// no 32 KiB history to copy through, and nothing to set up per stream but
// the Huffman tables, sized for the small streams git writes most.
package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"sync"
)

// ErrCorrupt is wrapped by every error the package returns: the stream is
// malformed, truncated, fails its checksum, or does not inflate to exactly
// the size asked for.
var ErrCorrupt = errors.New("corrupt zlib stream")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Zlib inflates the zlib stream at the start of src into dst, which must
// be exactly as long as the stream's content, and verifies its checksum.
// It returns how many bytes of src the stream takes, trailer included.
func Zlib(dst, src []byte) (consumed int, err error) {
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	return d.zlib(dst, src, false)
}

// ZlibPrefix inflates the first len(dst) bytes of the zlib stream at the
// start of src into dst, and stops there: what follows, the checksum
// included, is not read (as for the header of a git delta).
func ZlibPrefix(dst, src []byte) error {
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	_, err := d.zlib(dst, src, true)
	return err
}

// decoders keeps decoders for reuse: their tables are 17 KiB, too much to
// clear or allocate for each of a history's hundreds of thousands of
// objects. Nothing carries over from one stream to the next.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

type decoder struct {
	src    []byte
	pos    int    // the next byte of src to load into bits
	bits   uint64 // loaded bits not used yet, the next one lowest
	nb     int    // how many of bits are loaded; above them, more of src or zeros
	dst    []byte
	out    int  // bytes of dst written
	prefix bool // ZlibPrefix: done once dst is full, whatever follows

	lit  [litSize]uint32
	dist [distSize]uint32
	clen [clenSize]uint32
	lens [maxLit + maxDist]uint8
}

func (d *decoder) zlib(dst, src []byte, prefix bool) (int, error) {
	if len(src) < 2 {
		return 0, corrupt("no zlib header")
	}
	cmf, flg := src[0], src[1]
	switch {
	case cmf&15 != 8:
		return 0, corrupt("compression method %d, not deflate", cmf&15)
	case cmf>>4 > 7:
		return 0, corrupt("window of 2^%d bytes", cmf>>4+8)
	case (uint(cmf)<<8|uint(flg))%31 != 0:
		return 0, corrupt("header check fails")
	case flg&0x20 != 0:
		return 0, corrupt("preset dictionary")
	}
	// Field by field: the tables are written before they are read, and
	// clearing them would cost more than a small stream's decoding.
	d.src, d.pos, d.bits, d.nb = src, 2, 0, 0
	d.dst, d.out, d.prefix = dst, 0, prefix
	err := d.deflate()
	d.src, d.dst = nil, nil
	if prefix && d.out == len(dst) {
		return 0, nil // len(dst) bytes decoded: whatever follows is not asked for
	}
	if err != nil {
		return 0, err
	}
	if d.out < len(dst) {
		return 0, corrupt("inflates to %d bytes, not %d", d.out, len(dst))
	}
	end := d.pos - d.nb/8 // the byte after the last bit used
	if end+4 > len(src) {
		return 0, corrupt("truncated checksum")
	}
	if binary.BigEndian.Uint32(src[end:]) != adler32.Checksum(dst) {
		return 0, corrupt("checksum mismatch")
	}
	return end + 4, nil
}
