package scan

// prefilter finds every occurrence of a set of keywords (at least two bytes
// each), ignoring ASCII case, in one pass. It replaces an Aho-Corasick
// automaton: a table indexed by a hash of the three bytes at each position,
// lower-cased, says which few keywords can start there, and only those are
// compared. Keywords are short and few, so on source code this runs about
// twice as fast as the automaton did, and it builds in microseconds, which
// the commit hook's start-up time needs. Two-byte keywords (only possible in
// custom rules) get an exact two-byte table of their own.
type prefilter struct {
	keywords [][]byte  // lower-case
	slot3    []uint8   // by hash of three bytes: 1 + index into buckets, 0 for none
	slot2    []uint8   // by two bytes, for two-byte keywords; nil when there are none
	buckets  [][]int32 // keyword indexes that share a slot
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
		if len(kw) == 2 {
			if p.slot2 == nil {
				p.slot2 = make([]uint8, 1<<16)
			}
			add(p.slot2, uint16(kw[0])<<8|uint16(kw[1]), k)
			continue
		}
		add(p.slot3, hash3(kw[0], kw[1], kw[2]), k)
	}
	return p
}

// each calls fn for every keyword occurrence, in order of start position,
// with the keyword's index and the occurrence's span.
func (p *prefilter) each(text []byte, fn func(k, start, end int)) {
	n := len(text)
	if n < 2 {
		return
	}
	slot3 := p.slot3[:1<<16]
	a, b := lower[text[0]], lower[text[1]]
	for i := 0; i < n; i++ {
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

// verify compares the keywords of one slot at position i.
func (p *prefilter) verify(text []byte, i int, s uint8, fn func(k, start, end int)) {
	for _, k := range p.buckets[s-1] {
		if kw := p.keywords[k]; hasPrefixFold(text[i:], kw) {
			fn(int(k), i, i+len(kw))
		}
	}
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
