package inflate

import (
	"encoding/binary"
	"errors"
	"hash/adler32"
	"math/bits"
	"testing"
)

// Hand-made streams, each broken in one way RFC 1950/1951 forbid: ours
// must refuse them with ErrCorrupt, and the reference refuse them too.

// bitWriter packs DEFLATE's bit fields, lowest bit first.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	for w.nacc += n; w.nacc >= 8; w.nacc -= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
	}
}

// code writes a Huffman code: its bits go most significant first.
func (w *bitWriter) code(c uint16, n uint) {
	w.bits(uint64(bits.Reverse16(c)>>(16-n)), n)
}

func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		w.bits(0, 8-w.nacc)
	}
	return w.out
}

// fixedLitCode writes literal/length symbol s in the fixed code.
func (w *bitWriter) fixedLit(s int) {
	switch {
	case s < 144:
		w.code(uint16(0x30+s), 8)
	case s < 256:
		w.code(uint16(0x190+s-144), 9)
	case s < 280:
		w.code(uint16(s-256), 7)
	default:
		w.code(uint16(0xc0+s-280), 8)
	}
}

// canonical returns the codes RFC 1951 3.2.2 assigns to lengths.
func canonical(lens []int) []uint16 {
	var count, next [17]int
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := 0
	for l := 1; l <= 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	codes := make([]uint16, len(lens))
	for s, l := range lens {
		if l > 0 {
			codes[s] = uint16(next[l])
			next[l]++
		}
	}
	return codes
}

// dynamicHeader writes a dynamic block's header defining litLens and
// distLens, its code lengths written one symbol each (with clen, the
// lengths of the code length code, complete unless a test says not), then
// the raw code length symbols in extra (16, 17, 18 with their bits) if any.
func (w *bitWriter) dynamicHeader(final bool, litLens, distLens []int) (lit, dist []uint16) {
	fin := uint64(0)
	if final {
		fin = 1
	}
	w.bits(fin, 1)
	w.bits(2, 2)
	w.bits(uint64(len(litLens)-257), 5)
	w.bits(uint64(len(distLens)-1), 5)
	w.bits(19-4, 4)
	// Code length code: 0..15 each 4 bits long, 16..18 unused (complete).
	clen := make([]int, 19)
	for s := range 16 {
		clen[s] = 4
	}
	for _, s := range clenOrder {
		w.bits(uint64(clen[s]), 3)
	}
	cc := canonical(clen)
	for _, l := range append(append([]int{}, litLens...), distLens...) {
		w.code(cc[l], 4)
	}
	return canonical(litLens), canonical(distLens)
}

// wrap frames deflate data as a zlib stream of content.
func wrap(deflate, content []byte) []byte {
	z := append([]byte{0x78, 0x01}, deflate...)
	return binary.BigEndian.AppendUint32(z, adler32.Checksum(content))
}

// refused checks that ours and the reference both refuse stream z for a
// content of size bytes.
func refused(t *testing.T, z []byte, size int) {
	t.Helper()
	if _, err := Zlib(make([]byte, size), z); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ours: %v, want ErrCorrupt", err)
	} else {
		t.Logf("ours: %v", err)
	}
	if data, _, err := reference(z, 1<<20); err == nil && len(data) == size {
		t.Errorf("the reference reads the stream")
	}
}

// fixedBlock is a final fixed-code block of literals "ab", then the
// symbols in mid, then end of block.
func fixedBlock(mid func(w *bitWriter)) []byte {
	var w bitWriter
	w.bits(1, 1)
	w.bits(1, 2)
	w.fixedLit('a')
	w.fixedLit('b')
	if mid != nil {
		mid(&w)
	}
	w.fixedLit(256)
	return w.bytes()
}

func TestFixedBlockReads(t *testing.T) {
	same(t, "fixed", wrap(fixedBlock(nil), []byte("ab")))
	// A copy of length 5 at distance 2 (overlapping): "ab" + "ababa".
	same(t, "fixed copy", wrap(fixedBlock(func(w *bitWriter) {
		w.fixedLit(259) // length 5
		w.code(1, 5)    // distance 2
	}), []byte("abababa")))
}

func TestCorruptCompressionMethod(t *testing.T) {
	z := wrap(fixedBlock(nil), []byte("ab"))
	z[0], z[1] = 0x77, 0x1f // CM 7; (0x77<<8|0x1f)%31 == 0
	refused(t, z, 2)
}

func TestCorruptWindowSize(t *testing.T) {
	z := wrap(fixedBlock(nil), []byte("ab"))
	z[0], z[1] = 0x88, 0x1c // CINFO 8: a 64 KiB window; (0x88<<8|0x1c)%31 == 0
	refused(t, z, 2)
}

func TestCorruptHeaderCheck(t *testing.T) {
	z := wrap(fixedBlock(nil), []byte("ab"))
	z[1]++
	refused(t, z, 2)
}

func TestPresetDictionary(t *testing.T) {
	z := wrap(fixedBlock(nil), []byte("ab"))
	// FDICT, then the dictionary's Adler-32; (0x78<<8|0x20)%31 == 0.
	refused(t, append([]byte{0x78, 0x20, 0xde, 0xad, 0xbe, 0xef}, z[2:]...), 2)
	// Go's reader takes the Adler-32 of no dictionary (1) as none; zlib,
	// and so git, refuses any preset dictionary: ours does too.
	withEmpty := append([]byte{0x78, 0x20, 0, 0, 0, 1}, z[2:]...)
	if _, err := Zlib(make([]byte, 2), withEmpty); !errors.Is(err, ErrCorrupt) {
		t.Errorf("an empty preset dictionary: %v", err)
	}
}

func TestCorruptChecksum(t *testing.T) {
	z := wrap(fixedBlock(nil), []byte("ab"))
	z[len(z)-1] ^= 1
	refused(t, z, 2)
}

func TestCorruptReservedBlockType(t *testing.T) {
	var w bitWriter
	w.bits(1, 1)
	w.bits(3, 2)
	refused(t, wrap(w.bytes(), nil), 0)
}

func TestCorruptStoredLength(t *testing.T) {
	var w bitWriter
	w.bits(1, 1)
	w.bits(0, 2)
	d := append(w.bytes(), 2, 0, 0xfd, 0xfe, 'a', 'b') // NLEN should be 0xfffd
	refused(t, wrap(d, []byte("ab")), 2)
}

func TestCorruptStoredTruncated(t *testing.T) {
	var w bitWriter
	w.bits(1, 1)
	w.bits(0, 2)
	d := append(w.bytes(), 3, 0, 0xfc, 0xff, 'a', 'b') // 3 bytes said, 2 there
	refused(t, append([]byte{0x78, 0x01}, d...), 3)
}

func TestCorruptLiteralLength286(t *testing.T) {
	for _, s := range []int{286, 287} {
		z := wrap(fixedBlock(func(w *bitWriter) {
			w.fixedLit(s)
			w.code(0, 5)
		}), []byte("ab???"))
		refused(t, z, 5)
	}
}

func TestCorruptDistanceCode30(t *testing.T) {
	for _, c := range []uint16{30, 31} {
		z := wrap(fixedBlock(func(w *bitWriter) {
			w.fixedLit(257) // length 3
			w.code(c, 5)
		}), []byte("ab???"))
		refused(t, z, 5)
	}
}

func TestCorruptDistanceTooFar(t *testing.T) {
	z := wrap(fixedBlock(func(w *bitWriter) {
		w.fixedLit(257) // length 3
		w.code(2, 5)    // distance 3, two bytes written
	}), []byte("ab???"))
	refused(t, z, 5)
}

// litLens is a complete literal/length code of 257+extra symbols: 'a', 'b'
// and end of block get short codes.
func litLens(extra int) []int {
	lens := make([]int, 257+extra)
	// 'a', 'b' and 256 of 2 bits (3/4), bytes 128..191 of 8 bits (1/4).
	lens['a'], lens['b'], lens[256] = 2, 2, 2
	for s := 128; s < 192; s++ {
		lens[s] = 8
	}
	return lens
}

func TestDynamicBlockReads(t *testing.T) {
	// The writer above is right: a dynamic block both decoders read.
	var w bitWriter
	lit, _ := w.dynamicHeader(true, litLens(0), []int{1})
	w.code(lit['a'], 2)
	w.code(lit['b'], 2)
	w.code(lit[256], 2)
	same(t, "dynamic", wrap(w.bytes(), []byte("ab")))
}

func TestDegenerateCodes(t *testing.T) {
	// A distance code of one 1-bit code, and none at all: both accepted
	// (zlib and Go do), as long as no code missing is used.
	for _, dl := range [][]int{{1}, {0}, {0, 1}} {
		var w bitWriter
		lit, _ := w.dynamicHeader(true, litLens(0), dl)
		w.code(lit['a'], 2)
		w.code(lit[256], 2)
		same(t, "degenerate distance code", wrap(w.bytes(), []byte("a")))
	}
}

func TestCorruptDistanceMissing(t *testing.T) {
	// Distance code of one 1-bit code: the bit that reaches no code.
	lens := litLens(1) // symbol 257: length 3
	lens[257], lens[128] = 8, 0
	var w bitWriter
	lit, _ := w.dynamicHeader(true, lens, []int{0, 1})
	w.code(lit['a'], 2)
	w.code(lit[257], 8)
	w.bits(1, 1) // distance code 0 is "0"
	w.code(lit[256], 2)
	refused(t, wrap(w.bytes(), []byte("aaaa")), 4)
}

func TestCorruptOverSubscribed(t *testing.T) {
	lens := litLens(0)
	lens['c'] = 2 // four 2-bit codes and more
	var w bitWriter
	w.dynamicHeader(true, lens, []int{1})
	refused(t, wrap(w.bytes(), nil), 0)
}

func TestCorruptIncomplete(t *testing.T) {
	lens := litLens(0)
	lens[128] = 0 // one 8-bit code short
	var w bitWriter
	lit, _ := w.dynamicHeader(true, lens, []int{1})
	w.code(lit[256], 2)
	refused(t, wrap(w.bytes(), nil), 0)
	// A distance code of one code of 2 bits: incomplete, not the 1-bit case.
	var w2 bitWriter
	lit, _ = w2.dynamicHeader(true, litLens(0), []int{2})
	w2.code(lit[256], 2)
	refused(t, wrap(w2.bytes(), nil), 0)
}

func TestCorruptTooManyCodes(t *testing.T) {
	for _, n := range [][2]int{{287, 1}, {288, 1}, {257, 31}, {257, 32}} {
		var w bitWriter
		w.bits(1, 1)
		w.bits(2, 2)
		w.bits(uint64(n[0]-257), 5)
		w.bits(uint64(n[1]-1), 5)
		w.bits(0, 4)
		w.bits(0, 64)
		refused(t, wrap(w.bytes(), nil), 0)
	}
}

// codeLengths writes a dynamic header whose code length code gives 0..12,
// 16, 17 and 18 four bits each, then the symbols of syms (a symbol and,
// for 16-18, its extra bits).
func codeLengths(nlit, ndist int, syms [][2]int) []byte {
	var w bitWriter
	w.bits(1, 1)
	w.bits(2, 2)
	w.bits(uint64(nlit-257), 5)
	w.bits(uint64(ndist-1), 5)
	w.bits(19-4, 4)
	clen := make([]int, 19)
	for _, s := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18} {
		clen[s] = 4
	}
	for _, s := range clenOrder {
		w.bits(uint64(clen[s]), 3)
	}
	cc := canonical(clen)
	extra := map[int]uint{16: 2, 17: 3, 18: 7}
	for _, s := range syms {
		w.code(cc[s[0]], 4)
		if n, ok := extra[s[0]]; ok {
			w.bits(uint64(s[1]), n)
		}
	}
	w.bits(0, 32)
	return w.bytes()
}

func TestCorruptRepeatFirst(t *testing.T) {
	// Code 16 repeats the previous length: there is none.
	refused(t, wrap(codeLengths(257, 1, [][2]int{{16, 0}}), nil), 0)
}

func TestCorruptRepeatPastEnd(t *testing.T) {
	// 258 lengths to read; 138 + 138 zeros overrun them.
	refused(t, wrap(codeLengths(257, 1, [][2]int{{18, 127}, {18, 127}}), nil), 0)
}

func TestCorruptEmptyCodeLengthCode(t *testing.T) {
	var w bitWriter
	w.bits(1, 1)
	w.bits(2, 2)
	w.bits(0, 5)
	w.bits(0, 5)
	w.bits(19-4, 4)
	w.bits(0, 19*3) // every code length code unused
	w.bits(0, 32)
	refused(t, wrap(w.bytes(), nil), 0)
}

func TestCorruptNoEndOfBlock(t *testing.T) {
	// Literals run on past the end of the input, which ends mid-block.
	var w bitWriter
	w.bits(1, 1)
	w.bits(1, 2)
	for range 10 {
		w.fixedLit('a')
	}
	refused(t, append([]byte{0x78, 0x01}, w.bytes()...), 10)
}
