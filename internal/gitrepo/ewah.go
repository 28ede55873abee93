package gitrepo

import (
	"encoding/binary"
	"fmt"
)

// ewah is a bitmap in git's EWAH encoding (ewah/ewah_io.c): 32-bit bit
// count, 32-bit word count, that many 64-bit words, 32-bit position of the
// last marker word, all big-endian. The words are runs: a marker word
// (bit 0 the run's bit, bits 1-32 how many words of it, bits 33-63 how
// many literal words follow), then the literal words, lowest bit first.
type ewah struct {
	bits  int
	words []uint64
}

// parseEWAH reads one bitmap from the front of b and returns the rest.
func parseEWAH(b []byte) (ewah, []byte, error) {
	if len(b) < 8 {
		return ewah{}, nil, errCorruptIndex
	}
	bits := int(binary.BigEndian.Uint32(b))
	n := int(binary.BigEndian.Uint32(b[4:]))
	b = b[8:]
	if n > len(b)/8 || len(b)-8*n < 4 {
		return ewah{}, nil, errCorruptIndex
	}
	e := ewah{bits: bits, words: make([]uint64, n)}
	for i := range n {
		e.words[i] = binary.BigEndian.Uint64(b[8*i:])
	}
	return e, b[8*n+4:], nil
}

// each calls fn with the position of every set bit, in order.
func (e ewah) each(fn func(pos int) error) error {
	pos := 0
	for i := 0; i < len(e.words); {
		marker := e.words[i]
		i++
		run := int(marker >> 1 & 0xffffffff)
		literals := int(marker >> 33)
		if run > e.bits/64+1 || literals > len(e.words)-i {
			return fmt.Errorf("bitmap: run past its end: %w", errCorruptIndex)
		}
		if marker&1 != 0 {
			for range run * 64 {
				if err := fn(pos); err != nil {
					return err
				}
				pos++
			}
		} else {
			pos += run * 64
		}
		for _, w := range e.words[i : i+literals] {
			for bit := range 64 {
				if w>>bit&1 != 0 {
					if err := fn(pos + bit); err != nil {
						return err
					}
				}
			}
			pos += 64
		}
		i += literals
	}
	return nil
}

// parseLink reads the link extension: the shared index's id, then the
// delete and replace bitmaps.
func parseLink(d []byte) (*splitLink, error) {
	if len(d) < 20 {
		return nil, fmt.Errorf("link extension: %w", errCorruptIndex)
	}
	l := &splitLink{}
	copy(l.base[:], d[:20])
	d = d[20:]
	if len(d) == 0 {
		return l, nil // no bitmaps: nothing replaced or deleted
	}
	var err error
	if l.delete, d, err = parseEWAH(d); err != nil {
		return nil, fmt.Errorf("link extension: %w", err)
	}
	if l.replace, d, err = parseEWAH(d); err != nil {
		return nil, fmt.Errorf("link extension: %w", err)
	}
	if len(d) != 0 {
		return nil, fmt.Errorf("link extension: %d bytes too many: %w", len(d), errCorruptIndex)
	}
	return l, nil
}
