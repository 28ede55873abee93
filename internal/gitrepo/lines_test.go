package gitrepo

import (
	"fmt"
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
	for _, b := range []string{"100644", "10064x a\x00" + string(make([]byte, 20)), "100644 a\x00short"} {
		if _, err := parseTree([]byte(b)); err == nil {
			t.Errorf("parseTree(%q) did not fail", b)
		}
	}
}

func FuzzAddedLines(f *testing.F) {
	f.Add([]byte("a\nb\n"), []byte("a\nc\nb\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, h := range AddedLines(a, b) {
			if h.Line < 1 || len(h.Content) == 0 {
				t.Fatalf("bad hunk %+v", h)
			}
		}
	})
}
