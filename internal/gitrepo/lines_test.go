package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

func hunks(hs []Hunk) string {
	s := ""
	for _, h := range hs {
		s += fmt.Sprintf("%d:%q ", h.Line, h.Content)
	}
	return s
}

func TestAddedLines(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"", "x\ny\n", `1:"x\ny\n" `},
		{"a\nb\nc\n", "a\nb\nc\n", ``},
		{"a\nb\nc\n", "a\nX\nb\nc\n", `2:"X\n" `},
		{"a\nb\nc\n", "a\nb\nc\nd", `4:"d" `},
		{"a\nb\nc\n", "c\na\nb\n", ``},      // moved, not added
		{"k\nx\n", "k\nk\nx\n", `2:"k\n" `}, // a second copy is added
		{"a\r\nb\r\n", "a\nb\n", ``},        // line endings alone
		{"a\nb\n", "# tokenguard:allow\nb\n", `1:"# tokenguard:allow\n" `},
		{"# tokenguard:allow\nold\nz\n", "# tokenguard:allow\nnew\nz\n", `1:"# tokenguard:allow\nnew\n" `},
		{"a\nb\nc\nd\n", "a\nB\nc\nD\n", `2:"B\n" 4:"D\n" `},
	} {
		if got := hunks(AddedLines([]byte(c.a), []byte(c.b))); got != c.want {
			t.Errorf("AddedLines(%q, %q) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

func TestIntersect(t *testing.T) {
	b := []byte("1\n2\n3\n4\n")
	got := intersect([]Hunk{{Line: 1, Content: []byte("1\n2\n3\n")}}, []Hunk{{Line: 2, Content: []byte("2\n3\n4\n")}}, b)
	if hunks(got) != `2:"2\n3\n" ` {
		t.Errorf("intersect = %s", hunks(got))
	}
}

func TestCompareEntries(t *testing.T) {
	// git sorts "a.txt" < "a/" (dir) < "a0": '.' < '/' < '0'.
	file := Entry{Name: "a.txt", Mode: ModeFile}
	dir := Entry{Name: "a", Mode: ModeDir}
	after := Entry{Name: "a0", Mode: ModeFile}
	if compareEntries(file, dir) >= 0 || compareEntries(dir, after) >= 0 || compareEntries(Entry{Name: "a", Mode: ModeFile}, dir) >= 0 {
		t.Error("tree order differs from git's")
	}
}

func TestParseTreeCorrupt(t *testing.T) {
	id := string(make([]byte, 20))
	for _, b := range []string{"100644", "10064x a\x00" + id, "100644 a\x00short",
		" a\x00" + id, "100644 \x00" + id} { // no mode, no name: git refuses both
		if _, err := parseTree([]byte(b)); err == nil {
			t.Errorf("parseTree(%q) did not fail", b)
		}
	}
}

// FuzzAddedLines holds AddedLines to a reference it does not share code
// with, counting lines as a multiset: each hunk is whole lines of b at the
// line number it claims, in order, and a line of b goes unreported only as
// often as a holds it (a secret never hides behind a line its parent did
// not have), and is reported no more often than b has it beyond a's count.
func FuzzAddedLines(f *testing.F) {
	f.Add([]byte("a\nb\n"), []byte("a\nc\nb\n"))
	f.Add([]byte("a\r\nb\r\n"), []byte("a\nb\nb"))
	f.Add([]byte("k\nx\n"), []byte("k\nk\nx\n"))
	f.Add([]byte("# tokenguard:allow\nold\nz\n"), []byte("# tokenguard:allow\nnew\nz\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		lines := refLines(b)
		reported := map[string]int{}
		next := 1 // hunks come in order, without overlap
		for _, h := range AddedLines(a, b) {
			n := len(refLines(h.Content))
			if h.Line < next || n == 0 || h.Line-1+n > len(lines) ||
				!bytes.Equal(h.Content, bytes.Join(lines[h.Line-1:h.Line-1+n], nil)) {
				t.Fatalf("hunk %d:%q is not lines of b from %d on (b = %q)", h.Line, h.Content, next, b)
			}
			for _, l := range lines[h.Line-1 : h.Line-1+n] {
				reported[lineKey(l)]++
			}
			next = h.Line + n
		}
		inA, inB := map[string]int{}, map[string]int{}
		for _, l := range refLines(a) {
			inA[lineKey(l)]++
		}
		for _, l := range lines {
			inB[lineKey(l)]++
		}
		for k, nb := range inB {
			if nb-reported[k] > inA[k] {
				t.Fatalf("line %q: %d in b, %d reported, but a has only %d (a = %q, b = %q)", k, nb, reported[k], inA[k], a, b)
			}
			if reported[k] > max(nb-inA[k], 0) && !strings.Contains(k, "tokenguard:allow") {
				t.Fatalf("line %q reported %d times, but b has it %d times and a %d (a = %q, b = %q)", k, reported[k], nb, inA[k], a, b)
			}
		}
	})
}

// refLines cuts b after each newline, keeping the newlines.
func refLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n') + 1
		if i == 0 {
			i = len(b)
		}
		out = append(out, b[:i])
		b = b[i:]
	}
	return out
}

// lineKey is a line as AddedLines compares it: a CRLF ending is an LF one,
// and the last line needs no ending.
func lineKey(l []byte) string {
	if k, ok := bytes.CutSuffix(l, []byte("\n")); ok {
		return string(bytes.TrimSuffix(k, []byte("\r")))
	}
	return string(l)
}

// TestAddedLinesMatchesLineWise checks the byte-level trimming against the
// plain line-wise computation on many small random edits.
func TestAddedLinesMatchesLineWise(t *testing.T) {
	alphabet := []string{"a\n", "b\n", "ab\n", "zab\n", "x", "\n", "c\r\n"}
	seed := uint32(1)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>16) % n }
	for range 5000 {
		var a, b []byte
		for range next(8) {
			a = append(a, alphabet[next(len(alphabet))]...)
		}
		for range next(8) {
			b = append(b, alphabet[next(len(alphabet))]...)
		}
		got, want := lineSet(AddedLines(a, b)), lineSet(addedLines(a, b))
		if got != want {
			t.Fatalf("AddedLines(%q, %q) = %s, line-wise %s", a, b, got, want)
		}
	}
}

// TestCommonPrefixAndSuffix holds the block-wise trimming to a byte loop,
// with the first difference anywhere, near the blocks' and words' edges
// included.
func TestCommonPrefixAndSuffix(t *testing.T) {
	naivePrefix := func(a, b []byte) int {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return i
	}
	naiveSuffix := func(a, b []byte) int {
		i := 0
		for i < len(a) && i < len(b) && a[len(a)-1-i] == b[len(b)-1-i] {
			i++
		}
		return i
	}
	seed := uint32(5)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>16) % n }
	base := make([]byte, 5*block+37)
	for i := range base {
		base[i] = byte('a' + next(3))
	}
	for _, n := range []int{0, 1, 7, 8, 9, block - 1, block, block + 1, 2*block + 8, len(base)} {
		for _, at := range []int{0, 1, 7, 8, block - 1, block, block + 1, 3*block - 8, len(base) - 1} {
			a := base[:n]
			b := bytes.Clone(base[:max(0, n-next(2))])
			if at < len(b) {
				b[at] ^= 1
			}
			if got, want := commonPrefix(a, b), naivePrefix(a, b); got != want {
				t.Fatalf("commonPrefix, %d bytes, differing at %d: %d, want %d", n, at, got, want)
			}
			if got, want := commonSuffix(a, b), naiveSuffix(a, b); got != want {
				t.Fatalf("commonSuffix, %d bytes, differing at %d: %d, want %d", n, at, got, want)
			}
		}
	}
}

// lineSet lists the added line numbers.
func lineSet(hs []Hunk) string {
	s := ""
	for _, h := range hs {
		n := 0
		for _, c := range h.Content {
			if c == '\n' {
				n++
			}
		}
		if len(h.Content) > 0 && h.Content[len(h.Content)-1] != '\n' {
			n++
		}
		for i := range n {
			s += fmt.Sprint(h.Line+i, " ")
		}
	}
	return s
}

func TestParseCommit(t *testing.T) {
	raw := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 0000000000000000000000000000000000000001\nparent 0000000000000000000000000000000000000002\n" +
		"author Ana Ñ <ana@example.com> 1700000000 +0130\ncommitter C <c@example.com> 1700000060 -0700\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nmessage\n"
	c, err := parseCommit([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, off := c.When.Zone()
	if c.Tree.String() != "4b825dc642cb6eb9a060e54bf8d69288fbee4904" || len(c.Parents) != 2 || c.Author != "Ana Ñ" ||
		c.Email != "ana@example.com" || c.When.Unix() != 1700000000 || off != 5400 || c.Commit.Unix() != 1700000060 {
		t.Errorf("parseCommit = %+v", c)
	}
	if _, err := parseCommit([]byte("parent x\n")); err == nil {
		t.Error("a commit without a tree was accepted")
	}
	// As git reads them: the tree first, the parents right after it.
	const tree, p1, p2 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "0000000000000000000000000000000000000001", "0000000000000000000000000000000000000002"
	if _, err := parseCommit([]byte("parent " + p1 + "\ntree " + tree + "\n\nm\n")); err == nil {
		t.Error("a commit whose tree is not on its first line was accepted (git: bogus commit object)")
	}
	c, err = parseCommit([]byte("tree " + tree + "\nparent " + p1 + "\nauthor A <a@b> 1 +0000\nparent " + p2 + "\ntree " + p2 + "\n\nm\n"))
	if err != nil || len(c.Parents) != 1 || c.Parents[0].String() != p1 || c.Tree.String() != tree {
		t.Errorf("headers after the author: %+v, %v; want one parent and the first tree, as git reads them", c, err)
	}
}

// TestAddedLinesTableMatchesMap holds the reused open-addressing table to
// the Go map it replaced (kept here as the reference), on files of many
// repeated lines, so counts, probing past collisions of slots and reuse of
// a larger table for a smaller file are all exercised.
func TestAddedLinesTableMatchesMap(t *testing.T) {
	seed := uint32(7)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	for round := range 300 {
		n := 1 + next(3000)
		if round%2 == 1 {
			n = 1 + next(20)
		}
		var a, b []byte
		for range n {
			a = fmt.Appendf(a, "line %d\n", next(n/3+1))
		}
		for range n + next(10) {
			b = fmt.Appendf(b, "line %d\n", next(n/3+2))
		}
		if got, want := lineSet(addedLines(a, b)), lineSet(mapAddedLines(a, b)); got != want {
			t.Fatalf("round %d: table gives %s, map %s", round, got, want)
		}
	}
}

// mapAddedLines is addedLines as it was with a Go map of line hashes.
func mapAddedLines(a, b []byte) []Hunk {
	la, lb := splitLines(a), splitLines(b)
	p := 0
	for p < len(la) && p < len(lb) && bytes.Equal(a[la[p].s:la[p].e], b[lb[p].s:lb[p].e]) {
		p++
	}
	s := 0
	for s < len(la)-p && s < len(lb)-p && bytes.Equal(a[la[len(la)-1-s].s:la[len(la)-1-s].e], b[lb[len(lb)-1-s].s:lb[len(lb)-1-s].e]) {
		s++
	}
	ma, mb := la[p:len(la)-s], lb[p:len(lb)-s]
	have := map[string]int{}
	for _, l := range ma {
		have[string(a[l.s:l.e])]++
	}
	var hunks []Hunk
	start := -1
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
		if n := have[string(b[l.s:l.e])]; n > 0 {
			have[string(b[l.s:l.e])] = n - 1
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

// BenchmarkAddedLines diffs two versions of a file named by
// TOKENGUARD_BENCH_OLD and TOKENGUARD_BENCH_NEW (a large CSV edited in a
// few places is the case that matters: history scans of ML repositories).
func BenchmarkAddedLines(b *testing.B) {
	old, err1 := os.ReadFile(os.Getenv("TOKENGUARD_BENCH_OLD"))
	new, err2 := os.ReadFile(os.Getenv("TOKENGUARD_BENCH_NEW"))
	if err1 != nil || err2 != nil {
		b.Skip("TOKENGUARD_BENCH_OLD and TOKENGUARD_BENCH_NEW name no files")
	}
	b.SetBytes(int64(len(new)))
	for b.Loop() {
		AddedLines(old, new)
	}
}

// Scratches are reused between calls, except one grown for a huge file.
func TestScratchesKeptUnlessHuge(t *testing.T) {
	w := getScratch()
	putScratch(w)
	if getScratch() != w {
		t.Error("a scratch put back was not reused")
	}
	huge := &scratch{la: make([]span, 0, 1<<20)} // 24 MB of line spans
	putScratch(huge)
	if got := getScratch(); got == huge {
		t.Error("a 24 MB scratch was kept")
	}
}
