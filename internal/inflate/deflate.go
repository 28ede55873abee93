package inflate

import (
	"encoding/binary"
)

var (
	errTruncated = corrupt("truncated")
	errDistance  = corrupt("distance beyond the data written")
)

func (d *decoder) tooLong() error {
	return corrupt("inflates to more than %d bytes", len(d.dst))
}

// deflate decodes the DEFLATE blocks at d.pos into d.dst, to the final one.
func (d *decoder) deflate() error {
	for {
		if d.prefix && d.out == len(d.dst) {
			return nil
		}
		h, ok := d.take(3)
		if !ok {
			return errTruncated
		}
		var err error
		switch h >> 1 {
		case 0:
			err = d.stored()
		case 1:
			err = d.huffman(fixedLit[:], fixedDist[:], 9, 5)
		case 2:
			var lr, dr uint
			if lr, dr, err = d.dynamic(); err == nil {
				err = d.huffman(d.lit[:], d.dist[:], lr, dr)
			}
		default:
			return corrupt("reserved block type")
		}
		if err != nil || h&1 != 0 {
			return err
		}
	}
}

// refill loads bytes of src into d.bits: up to at least 56 bits while src
// lasts. Eight at a time when they are there: the bits of the last byte
// that do not fit stay above d.nb, and the next load ORs in the same ones.
func (d *decoder) refill() {
	if d.pos+8 <= len(d.src) {
		d.bits |= binary.LittleEndian.Uint64(d.src[d.pos:]) << (d.nb & 63)
		k := (63 - d.nb) >> 3
		d.pos += k
		d.nb += k << 3
		return
	}
	for d.nb <= 56 && d.pos < len(d.src) {
		d.bits |= uint64(d.src[d.pos]) << (d.nb & 63)
		d.pos++
		d.nb += 8
	}
}

// take reads n bits (at most 32).
func (d *decoder) take(n int) (uint32, bool) {
	if d.nb < n {
		if d.refill(); d.nb < n {
			return 0, false
		}
	}
	v := uint32(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nb -= n
	return v, true
}

// stored copies a stored block.
func (d *decoder) stored() error {
	at := d.pos - d.nb/8 // its length starts at the next byte boundary
	d.bits, d.nb = 0, 0
	if at+4 > len(d.src) {
		return errTruncated
	}
	n := int(binary.LittleEndian.Uint16(d.src[at:]))
	if ^uint16(n) != binary.LittleEndian.Uint16(d.src[at+2:]) {
		return corrupt("stored block length check fails")
	}
	at += 4
	c := copy(d.dst[d.out:], d.src[at:min(at+n, len(d.src))])
	d.out += c
	d.pos = at + c
	switch {
	case c == n:
		return nil
	case d.out == len(d.dst):
		return d.tooLong()
	}
	return errTruncated
}

// The order in which a dynamic block lists the code length code's lengths.
var clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// clenKind: code length symbols are just their value.
var clenKind = func() (k [19]uint32) {
	for s := range k {
		k[s] = uint32(s) << 16
	}
	return k
}()

// dynamic reads a dynamic block's code definitions into d.lit and d.dist,
// and returns the tables' root bits.
func (d *decoder) dynamic() (lr, dr uint, err error) {
	h, ok := d.take(14)
	if !ok {
		return 0, 0, errTruncated
	}
	nlit, ndist, nclen := int(h&31)+257, int(h>>5&31)+1, int(h>>10)+4
	if nlit > maxLit || ndist > maxDist {
		return 0, 0, corrupt("%d literal/length and %d distance codes", nlit, ndist)
	}
	var clens [19]uint8
	for i := range nclen {
		l, ok := d.take(3)
		if !ok {
			return 0, 0, errTruncated
		}
		clens[clenOrder[i]] = uint8(l)
	}
	cr, ok := build(d.clen[:], clenBits, clens[:], clenKind[:])
	if !ok {
		return 0, 0, corrupt("invalid code length code")
	}

	n := nlit + ndist
	lens := d.lens[:n]
	var count [2][16]int // of the literal/length code, of the distance code
	for i := 0; i < n; {
		if d.nb < 7+7 { // a code of up to 7 bits, up to 7 extra
			d.refill()
		}
		e := d.clen[d.bits&(1<<cr-1)]
		l := int(e & 15)
		switch {
		case e&kindBad != 0:
			return 0, 0, corrupt("invalid code length")
		case l > d.nb:
			return 0, 0, errTruncated
		}
		d.bits >>= l
		d.nb -= l
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			count[i/nlit][sym]++ // i < n <= 2*nlit
			i++
			continue
		}
		var rep uint32
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return 0, 0, corrupt("repeat with no previous length")
			}
			rep, ok = d.take(2)
			rep += 3
			val = lens[i-1]
		case 17:
			rep, ok = d.take(3)
			rep += 3
		default:
			rep, ok = d.take(7)
			rep += 11
		}
		if !ok {
			return 0, 0, errTruncated
		}
		if i+int(rep) > n {
			return 0, 0, corrupt("code lengths repeat past their end")
		}
		inLit := max(0, min(int(rep), nlit-i))
		count[0][val] += inLit
		count[1][val] += int(rep) - inLit
		for range rep {
			lens[i] = val
			i++
		}
	}
	if lr, ok = buildCounted(d.lit[:], litBits, lens[:nlit], litKind[:], &count[0]); !ok {
		return 0, 0, corrupt("invalid literal/length code")
	}
	if dr, ok = buildCounted(d.dist[:], distBits, lens[nlit:], distKind[:], &count[1]); !ok {
		return 0, 0, corrupt("invalid distance code")
	}
	return lr, dr, nil
}

// huffman decodes the symbols of a block coded with the tables lt
// (literals and lengths) and dt (distances), whose primary tables are
// indexed by lr and dr bits, to its end-of-block code. Its state is in
// locals, written back on the way out.
func (d *decoder) huffman(lt, dt []uint32, lr, dr uint) error {
	src, dst := d.src, d.dst
	pos, out := d.pos, d.out
	b, nb := d.bits, d.nb
	lroot := (*[1 << litBits]uint32)(lt)
	droot := (*[1 << distBits]uint32)(dt)
	lmask, dmask := uint64(1)<<lr-1, uint64(1)<<dr-1

	// The fast loop: while eight bytes of src and room for the longest
	// match (and the eight-byte copy's overrun) remain, neither end needs
	// watching. Anything else (end of block, bad code, bad distance) is
	// left, unconsumed, to the careful loop below.
	for pos+8 <= len(src) && out+258+8 <= len(dst) {
		b |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
		k := (63 - nb) >> 3
		pos += k
		nb += k << 3
		b0, nb0 := b, nb
		e := lroot[b&lmask&(1<<litBits-1)]
		if e&kindSub != 0 {
			e = lt[e>>16+uint32(b>>lr)&(1<<(e>>8&15)-1)]
		}
		b >>= e & 15
		nb -= int(e & 15)
		if e&kindLit != 0 {
			dst[out] = byte(e >> 16)
			out++
			continue
		}
		if e&(kindEnd|kindBad) != 0 {
			b, nb = b0, nb0
			break
		}
		length := int(e>>16) + int(b&(1<<(e>>8&15)-1))
		b >>= e >> 8 & 15
		nb -= int(e >> 8 & 15)
		e = droot[b&dmask&(1<<distBits-1)]
		if e&kindSub != 0 {
			e = dt[e>>16+uint32(b>>dr)&(1<<(e>>8&15)-1)]
		}
		b >>= e & 15
		nb -= int(e & 15)
		dist := int(e>>16) + int(b&(1<<(e>>8&15)-1))
		b >>= e >> 8 & 15
		nb -= int(e >> 8 & 15)
		if e&kindBad != 0 || dist > out {
			b, nb = b0, nb0
			break
		}
		end := out + length
		if dist >= 8 {
			for o, s := out, out-dist; o < end; o, s = o+8, s+8 {
				binary.LittleEndian.PutUint64(dst[o:], binary.LittleEndian.Uint64(dst[s:]))
			}
		} else {
			for o := out; o < end; {
				o += copy(dst[o:end], dst[out-dist:o])
			}
		}
		out = end
	}

	var err error
	for {
		// One load covers a whole length/distance pair: 48 bits at most.
		if nb < 48 {
			if pos+8 <= len(src) {
				b |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
				k := (63 - nb) >> 3
				pos += k
				nb += k << 3
			} else {
				for nb <= 56 && pos < len(src) {
					b |= uint64(src[pos]) << (nb & 63)
					pos++
					nb += 8
				}
			}
		}
		// From here, bits past the end of src read as zeros and make nb
		// negative: checked before anything they decoded is used.
		e := lroot[b&lmask&(1<<litBits-1)]
		if e&kindSub != 0 {
			e = lt[e>>16+uint32(b>>lr)&(1<<(e>>8&15)-1)]
		}
		b >>= e & 15
		nb -= int(e & 15)
		if e&kindLit != 0 {
			if nb < 0 {
				err = errTruncated
				break
			}
			if out >= len(dst) {
				err = d.tooLong()
				break
			}
			dst[out] = byte(e >> 16)
			out++
			continue
		}
		if e&(kindEnd|kindBad) != 0 {
			switch {
			case nb < 0:
				err = errTruncated
			case e&kindBad != 0:
				err = corrupt("invalid literal/length code")
			}
			break
		}
		length := int(e>>16) + int(b&(1<<(e>>8&15)-1))
		b >>= e >> 8 & 15
		nb -= int(e >> 8 & 15)

		e = droot[b&dmask&(1<<distBits-1)]
		if e&kindSub != 0 {
			e = dt[e>>16+uint32(b>>dr)&(1<<(e>>8&15)-1)]
		}
		b >>= e & 15
		nb -= int(e & 15)
		dist := int(e>>16) + int(b&(1<<(e>>8&15)-1))
		b >>= e >> 8 & 15
		nb -= int(e >> 8 & 15)
		switch {
		case nb < 0:
			err = errTruncated
		case e&kindBad != 0:
			err = corrupt("invalid distance code")
		case dist > out:
			err = errDistance
		}
		if err != nil {
			break
		}
		end := out + length
		if end > len(dst) {
			end, err = len(dst), d.tooLong() // ZlibPrefix wants the part that fits
		}
		switch {
		case dist >= 8 && end+8 <= len(dst):
			// Eight bytes at a time, a little past end (written again
			// later): each load reads bytes already written, as dist >= 8.
			for o, s := out, out-dist; o < end; o, s = o+8, s+8 {
				binary.LittleEndian.PutUint64(dst[o:], binary.LittleEndian.Uint64(dst[s:]))
			}
		case dist >= end-out:
			copy(dst[out:end], dst[out-dist:])
		default:
			// The copy overlaps what it writes: a run of period dist,
			// copied in doubling pieces.
			for o := out; o < end; {
				o += copy(dst[o:end], dst[out-dist:o])
			}
		}
		out = end
		if err != nil {
			break
		}
	}
	d.pos, d.out, d.bits, d.nb = pos, out, b, nb
	return err
}
