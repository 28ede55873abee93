package gitrepo

import (
	"bytes"
	"hash/maphash"
	"sync"
	"unsafe"
)

var seed = maphash.MakeSeed()

// Hunk is a run of consecutive added lines of a file.
type Hunk struct {
	Line    int    // 1-based line number of the first line in the new file
	Content []byte // the lines, a slice of the new content
}

// AddedLines returns the lines of b that a does not have, grouped in runs.
//
// It is not a minimal edit script: after trimming the common prefix and
// suffix, a line of b's middle counts as added unless a's middle holds the
// same line not yet matched. That is what a secret scanner asks ("which
// lines of this version did its parent not have?") in linear time, with no
// cost cap to fall back from; a block moved within the file is not added,
// while a second copy of an existing block is. One unchanged line just
// before a run is kept when it carries an inline allow comment
// (tokenguard:allow), so a suppression on the line above still applies.
func AddedLines(a, b []byte) []Hunk {
	// Trim the common prefix and suffix as bytes first, cut back to whole
	// lines: for a small edit of a large file only the middle is split.
	pre := commonPrefix(a, b)
	pre = bytes.LastIndexByte(b[:pre], '\n') + 1
	suf := commonSuffix(a[pre:], b[pre:])
	// The suffix must start a line on both sides.
	for suf > 0 && !(lineStart(b, len(b)-suf, pre) && lineStart(a, len(a)-suf, pre)) {
		k := bytes.IndexByte(b[len(b)-suf:], '\n')
		if k < 0 {
			suf = 0
			break
		}
		suf -= k + 1
	}
	base := bytes.Count(b[:pre], []byte{'\n'}) // lines before the middle
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	hunks := addedLines(ma, mb)
	for i := range hunks {
		hunks[i].Line += base
	}
	// The line before a run may carry an allow comment for it.
	if len(hunks) > 0 && hunks[0].Line == base+1 && base > 0 {
		prev := bytes.LastIndexByte(b[:pre-1], '\n') + 1
		if allowMarker(b[prev:pre]) {
			hunks[0].Line--
			hunks[0].Content = b[prev : pre+len(hunks[0].Content)]
		}
	}
	return hunks
}

func lineStart(b []byte, i, floor int) bool {
	return i == floor || b[i-1] == '\n'
}

// commonPrefix and commonSuffix compare blocks first, with the runtime's
// vectorised compare, then words, then bytes: a large file edited in a few
// places shares most of its bytes with its parent.
const block = 512

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+block <= n && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for i+8 <= n && string(a[i:i+8]) == string(b[i:i+8]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+block <= n && bytes.Equal(a[len(a)-i-block:len(a)-i], b[len(b)-i-block:len(b)-i]) {
		i += block
	}
	for i+8 <= n && string(a[len(a)-i-8:len(a)-i]) == string(b[len(b)-i-8:len(b)-i]) {
		i += 8
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

// addedLines is AddedLines on the middles, line-wise.
func addedLines(a, b []byte) []Hunk {
	w := getScratch()
	defer putScratch(w)
	w.la, w.lb = splitLinesInto(w.la[:0], a), splitLinesInto(w.lb[:0], b)
	la, lb := w.la, w.lb
	// Common prefix and suffix.
	p := 0
	for p < len(la) && p < len(lb) && bytes.Equal(a[la[p].s:la[p].e], b[lb[p].s:lb[p].e]) {
		p++
	}
	s := 0
	for s < len(la)-p && s < len(lb)-p && bytes.Equal(a[la[len(la)-1-s].s:la[len(la)-1-s].e], b[lb[len(lb)-1-s].s:lb[len(lb)-1-s].e]) {
		s++
	}
	ma, mb := la[p:len(la)-s], lb[p:len(lb)-s]
	if len(mb) == 0 {
		return nil
	}
	// Lines are matched by a 64-bit seeded hash: no string per line, and a
	// collision (which would hide one added line) is out of reach.
	have := &w.have
	have.reset(len(ma))
	for _, l := range ma {
		have.add(maphash.Bytes(seed, a[l.s:l.e]))
	}
	var hunks []Hunk
	start := -1 // index into lb of the open run
	flush := func(end int) {
		if start < 0 {
			return
		}
		first := start
		if first > 0 && allowMarker(b[lb[first-1].s:lb[first-1].e]) {
			first--
		}
		hunks = append(hunks, Hunk{Line: first + 1, Content: b[lb[first].s:lb[end-1].next]})
		start = -1
	}
	for k, l := range mb {
		i := p + k
		if have.take(maphash.Bytes(seed, b[l.s:l.e])) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(p + len(mb))
	return hunks
}

// scratch is what addedLines reuses between calls: on a large file edited
// often, allocating the line lists and a Go map per version cost more
// than the matching itself, and fed the garbage collector.
type scratch struct {
	la, lb []span
	have   lineCounts
}

// scratches are kept between calls in a free list, not a sync.Pool: a
// history scan collects garbage every few tens of milliseconds, and each
// collection emptied the pool, so the line lists and tables of a large file
// were allocated again (and their pages faulted in) on most calls. There
// are as many as calls run at once: one per history worker.
var scratches struct {
	sync.Mutex
	free []*scratch
}

func getScratch() *scratch {
	scratches.Lock()
	defer scratches.Unlock()
	if n := len(scratches.free); n > 0 {
		w := scratches.free[n-1]
		scratches.free = scratches.free[:n-1]
		return w
	}
	return new(scratch)
}

func putScratch(w *scratch) {
	// A file of a few hundred thousand lines is rare: its scratch is not
	// kept (a 1.6 MB CSV of 40k lines takes 4 MB).
	if keep := int64(cap(w.la)+cap(w.lb))*int64(unsafe.Sizeof(span{})) + int64(cap(w.have.slots))*int64(unsafe.Sizeof(lineSlot{})); keep > 16<<20 {
		return
	}
	scratches.Lock()
	defer scratches.Unlock()
	scratches.free = append(scratches.free, w)
}

// lineCounts is a multiset of line hashes: open addressing with linear
// probing, each count beside its key so that a probe touches one cache
// line. Hash 0 marks an empty slot, so a line hashing to 0 is stored as 1
// (a collision as unlikely as any other).
type lineCounts struct {
	slots []lineSlot
}

type lineSlot struct {
	key uint64
	n   int32
}

// reset empties the set and sizes it for n lines, at most half full.
func (c *lineCounts) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(c.slots) < size {
		c.slots = make([]lineSlot, size)
		return
	}
	c.slots = c.slots[:size]
	clear(c.slots)
}

func (c *lineCounts) slot(h uint64) *lineSlot {
	mask := uint64(len(c.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		if s := &c.slots[i]; s.key == h || s.key == 0 {
			return s
		}
	}
}

func (c *lineCounts) add(h uint64) {
	h = max(h, 1)
	s := c.slot(h)
	s.key = h
	s.n++
}

// take removes one h, reporting whether there was one.
func (c *lineCounts) take(h uint64) bool {
	s := c.slot(max(h, 1))
	if s.n == 0 {
		return false
	}
	s.n--
	return true
}

// AllLines returns the whole of b as one hunk (a new file).
func AllLines(b []byte) []Hunk {
	if len(b) == 0 {
		return nil
	}
	return []Hunk{{Line: 1, Content: b}}
}

type span struct{ s, e, next int } // line bytes [s,e), next line starts at next

func splitLines(b []byte) []span {
	if len(b) == 0 {
		return nil
	}
	return splitLinesInto(make([]span, 0, bytes.Count(b, []byte{'\n'})+1), b)
}

// splitLinesInto is splitLines appending to out.
func splitLinesInto(out []span, b []byte) []span {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			out = append(out, span{i, len(b), len(b)})
			break
		}
		e := i + j
		if e > i && b[e-1] == '\r' {
			e-- // a CRLF change alone is not a new line of text
		}
		out = append(out, span{i, e, i + j + 1})
		i += j + 1
	}
	return out
}

var markers = [][]byte{[]byte("tokenguard:allow"), []byte("gitleaks:allow")}

func allowMarker(line []byte) bool {
	for _, m := range markers {
		if bytes.Contains(line, m) {
			return true
		}
	}
	return false
}

// Similarity is the share of b's lines that a also has, from 0 to 1: how
// git-like rename detection pairs an edited, moved file with its source.
func Similarity(a, b []byte) float64 {
	la, lb := splitLines(a), splitLines(b)
	if len(lb) == 0 || len(la) == 0 {
		return 0
	}
	have := make(map[string]int, len(la))
	for _, l := range la {
		have[string(a[l.s:l.e])]++
	}
	common := 0
	for _, l := range lb {
		if n := have[string(b[l.s:l.e])]; n > 0 {
			have[string(b[l.s:l.e])] = n - 1
			common++
		}
	}
	return float64(common) / float64(max(len(la), len(lb)))
}
