package scan

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// prefilter finds every occurrence of a set of keywords (at least two bytes
// each), ignoring ASCII case, in one pass. Its exact stage is a table indexed
// by a hash of the three lower-cased bytes at each position, which names the
// few keywords that can start there; only those are compared. Two-byte
// keywords (only possible in custom rules) get an exact two-byte table.
//
// Where the CPU has AVX2 (vector_amd64.s), a vector filter first marks the
// positions where a keyword may start, 32 at a time, and only those reach
// the table: on ML code about one position in thirty. Both build in
// microseconds, which a commit hook's start-up needs. (An Aho-Corasick
// library did this job first, at a fifth of the speed; see BENCHMARKS.md.)
type prefilter struct {
	keywords [][]byte  // lower-case
	heads    []head    // by keyword, for the vector path's comparison
	slot3    []uint8   // by hash of three bytes: 1 + index into buckets, 0 for none
	slot2    []uint8   // by two bytes, for two-byte keywords; nil when there are none
	buckets  [][]int32 // keyword indexes that share a slot
	nibbles  *nibbleTables
}

// lower maps ASCII upper-case letters to lower case and every other byte to itself.
var lower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

// hash3 mixes three lower-cased bytes into a table index.
func hash3(a, b, c byte) uint16 {
	return uint16(a)<<10 ^ uint16(b)<<5 ^ uint16(c) ^ uint16(a)>>3
}

func newPrefilter(keywords []string) *prefilter {
	p := &prefilter{slot3: make([]uint8, 1<<16)}
	add := func(table []uint8, key uint16, k int) {
		s := table[key]
		if s == 0 {
			if len(p.buckets) < 255 {
				p.buckets = append(p.buckets, nil)
			}
			// Past 255 slots, the last bucket is shared: still correct, only slower.
			s = uint8(len(p.buckets))
			table[key] = s
		}
		p.buckets[s-1] = append(p.buckets[s-1], int32(k))
	}
	for k, word := range keywords {
		kw := []byte(word)
		for j := range kw {
			kw[j] = lower[kw[j]]
		}
		p.keywords = append(p.keywords, kw)
		p.heads = append(p.heads, newHead(kw))
		if len(kw) == 2 {
			if p.slot2 == nil {
				p.slot2 = make([]uint8, 1<<16)
			}
			add(p.slot2, uint16(kw[0])<<8|uint16(kw[1]), k)
			continue
		}
		add(p.slot3, hash3(kw[0], kw[1], kw[2]), k)
	}
	if haveAVX2 && p.slot2 == nil {
		p.nibbles = newNibbleTables(p.keywords)
	}
	return p
}

// each calls fn for every keyword occurrence, in order of start position,
// with the keyword's index and the occurrence's span.
func (p *prefilter) each(text []byte, fn func(k, start, end int)) {
	i := 0
	if p.nibbles != nil {
		i = p.eachMarked(text, fn)
	}
	p.eachFrom(text, i, fn)
}

// eachFrom is each over the positions from i on, one at a time.
func (p *prefilter) eachFrom(text []byte, i int, fn func(k, start, end int)) {
	n := len(text)
	if n-i < 2 {
		return
	}
	slot3 := p.slot3[:1<<16]
	a, b := lower[text[i]], lower[text[i+1]]
	for ; i < n; i++ {
		if p.slot2 != nil && i+1 < n {
			if s := p.slot2[uint16(lower[text[i]])<<8|uint16(lower[text[i+1]])]; s != 0 {
				p.verify(text, i, s, fn)
			}
		}
		if i+2 >= n {
			continue
		}
		c := lower[text[i+2]]
		s := slot3[hash3(a, b, c)]
		a, b = b, c
		if s != 0 {
			p.verify(text, i, s, fn)
		}
	}
}

// eachMarked is each over whole 32-byte blocks, with the vector filter
// marking the positions worth a look; it returns where it stopped.
func (p *prefilter) eachMarked(text []byte, fn func(k, start, end int)) int {
	const chunk = 256 // blocks per call: 8 KiB of text, 1 KiB of marks
	var marks [chunk]uint32
	slot3 := p.slot3[:1<<16]
	done := 0
	for {
		// The filter reads four bytes past a block's end, for a keyword
		// starting at its last position, and the check below eight.
		blocks := min((len(text)-done-8)/32, chunk)
		if blocks <= 0 {
			return done
		}
		markBlocks(p.nibbles, &text[done], blocks, &marks[0])
		for b, m := range marks[:blocks] {
			base := done + 32*b
			for m != 0 {
				i := base + bits.TrailingZeros32(m)
				m &= m - 1
				s := slot3[hash3(lower[text[i]], lower[text[i+1]], lower[text[i+2]])]
				if s == 0 {
					continue
				}
				// verify, with the first eight bytes in one comparison.
				word := binary.LittleEndian.Uint64(text[i:])
				for _, k := range p.buckets[s-1] {
					h := &p.heads[k]
					if (word|h.fold)&h.mask == h.word && (h.rest == nil || hasPrefixFold(text[i+8:], h.rest)) {
						fn(int(k), i, i+h.n)
					}
				}
			}
		}
		done += 32 * blocks
	}
}

// nibbleTables drive the vector filter (a Teddy-style search): keywords go
// into eight groups, and for each of a keyword's first five bytes the table
// of its low nibble and the table of its high nibble carry the group's bit.
// A position passes when some group's bit survives all ten lookups.
// Three-byte keywords share a group that accepts any fourth and fifth byte,
// four-byte keywords one that accepts any fifth; the others are sorted, so
// that neighbours share a group and its nibble sets stay small. (On the
// generated ML tree that lets 3.5% of positions through, against 7% for
// four bytes and 10% for three.) Bytes are compared with bit 5 set (ASCII
// letters folded to lower case, a few punctuation pairs merged), so the
// filter can only say too much; the exact tables decide. Each 16-byte table
// is stored twice, once per half of the 256-bit register.
type nibbleTables struct {
	lo, hi [filterBytes][32]byte
	low    [32]byte // 0x0f in every byte
	fold   [32]byte // 0x20 in every byte
}

const filterBytes = 5

func newNibbleTables(keywords [][]byte) *nibbleTables {
	var byLen [filterBytes + 1][][]byte // by length, the longer ones together
	for _, k := range keywords {
		byLen[min(len(k), filterBytes)] = append(byLen[min(len(k), filterBytes)], k)
	}
	t := &nibbleTables{}
	add := func(group byte, k []byte) {
		for j := range filterBytes {
			for half := 0; half < 32; half += 16 {
				if j >= len(k) { // a short keyword: any byte here
					for n := range 16 {
						t.lo[j][half+n] |= group
						t.hi[j][half+n] |= group
					}
					continue
				}
				c := k[j] | 0x20
				t.lo[j][half+int(c&15)] |= group
				t.hi[j][half+int(c>>4)] |= group
			}
		}
	}
	next := 0 // the next free group
	for _, short := range byLen[:filterBytes] {
		if len(short) > 0 {
			for _, k := range short {
				add(1<<next, k)
			}
			next++
		}
	}
	long := byLen[filterBytes]
	slices.SortFunc(long, func(a, b []byte) int { return slices.Compare(a[:filterBytes], b[:filterBytes]) })
	for i, k := range long {
		add(byte(1)<<(next+i*(8-next)/len(long)), k)
	}
	for i := range 32 {
		t.low[i], t.fold[i] = 0x0f, 0x20
	}
	return t
}

// verify compares the keywords of one slot at position i.
func (p *prefilter) verify(text []byte, i int, s uint8, fn func(k, start, end int)) {
	for _, k := range p.buckets[s-1] {
		if kw := p.keywords[k]; hasPrefixFold(text[i:], kw) {
			fn(int(k), i, i+len(kw))
		}
	}
}

// A head is a keyword's first eight bytes (fewer when it is shorter) as a
// little-endian word, for comparing them at once: text bytes with the fold
// bits set, and masked to the keyword's length, must equal the word.
type head struct {
	word uint64 // the bytes, lower-case
	mask uint64 // 0xff for each byte the keyword has
	fold uint64 // 0x20 at each ASCII letter: 'A'|0x20 == 'a', and only 'A' and 'a' give 'a'
	rest []byte // the bytes after the eighth; nil for none
	n    int    // the keyword's length
}

func newHead(kw []byte) head {
	h := head{n: len(kw)}
	if len(kw) > 8 {
		h.rest = kw[8:]
	}
	for j, c := range kw[:min(len(kw), 8)] {
		h.word |= uint64(c) << (8 * j)
		h.mask |= 0xff << (8 * j)
		if 'a' <= c && c <= 'z' {
			h.fold |= 0x20 << (8 * j)
		}
	}
	return h
}

// hasPrefixFold reports whether text starts with kw (lower-case), ignoring ASCII case.
func hasPrefixFold(text, kw []byte) bool {
	if len(text) < len(kw) {
		return false
	}
	for j, c := range kw {
		if lower[text[j]] != c {
			return false
		}
	}
	return true
}
