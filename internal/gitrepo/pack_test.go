package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// TestPackReadsWhatGitWrote packs a file's versions into delta chains with
// git gc, then reads every version back through the pack reader and
// compares with `git cat-file`.
func TestPackReadsWhatGitWrote(t *testing.T) {
	gittest.Require(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	var body strings.Builder
	for i := range 400 {
		fmt.Fprintf(&body, "line %d of a file that changes a little each commit\n", i)
	}
	content := body.String()
	for v := range 12 {
		content = strings.Replace(content, fmt.Sprintf("line %d ", v*30), fmt.Sprintf("LINE %d (v%d) ", v*30, v), 1)
		os.WriteFile(filepath.Join(dir, "big.txt"), []byte(content), 0o644)
		runGit(t, dir, "add", "big.txt")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint("v", v))
	}
	runGit(t, dir, "gc", "-q", "--aggressive")
	blobs := strings.Fields(runGit(t, dir, "log", "--format=", "--raw", "--no-abbrev"))
	r, err := Open(dir, Options{ObjectCache: 64 << 10}) // small: forces rebuilding chains
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.packs.files) != 1 {
		t.Fatalf("%d packs mapped", len(r.packs.files))
	}
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if fi, err := os.Stat(packs[0]); err != nil {
		t.Fatal(err)
	} else if r.PackBytes() != fi.Size() {
		t.Errorf("PackBytes = %d, the pack file has %d bytes", r.PackBytes(), fi.Size())
	}
	n := 0
	for _, f := range blobs {
		h, ok := ParseHash(f)
		if !ok || h.IsZero() {
			continue
		}
		want := runGit(t, dir, "cat-file", "-p", f)
		got, tooLarge, err := r.Blob(h, 0)
		if err != nil || tooLarge || !bytes.Equal(got, []byte(want)) {
			t.Fatalf("blob %s: %v %v, %d bytes, want %d", f, err, tooLarge, len(got), len(want))
		}
		if _, tooLarge, err := r.Blob(h, 1000); !tooLarge || err != nil {
			t.Errorf("blob %s over the limit: tooLarge %v, %v", f, tooLarge, err)
		}
		n++
	}
	if n < 12 {
		t.Fatalf("only %d blobs checked", n)
	}
	h, _, _ := r.Head()
	c, err := r.Commit(h)
	if err != nil || c.Author != gittest.Name || len(c.Parents) != 1 {
		t.Errorf("commit from the pack: %+v, %v", c, err)
	}
}

func TestPatchDelta(t *testing.T) {
	// base "hello", target "hellohel" + "abc": sizes 5 and 11, copy 5 from 0,
	// copy 3 from 0, insert "abc".
	got, err := patchDelta([]byte("hello"), []byte{5, 11, 0x90, 5, 0x90, 3, 3, 'a', 'b', 'c'}, newBuffer)
	if err != nil || string(got) != "hellohelabc" {
		t.Errorf("patchDelta = %q, %v", got, err)
	}
	// The last two: a delta of the empty object, and one with no target
	// size; git refuses both, as under its 4-byte minimum.
	for _, d := range [][]byte{{6, 1, 0x90, 1}, {5, 3, 0x90, 9}, {5, 1, 0}, {5, 2, 3, 'a'}, {5, 0}, {5}} {
		if _, err := patchDelta([]byte("hello"), d, newBuffer); err == nil {
			t.Errorf("patchDelta(%v) accepted a bad delta", d)
		}
	}
}

// TestPackConsumedIsTheEntry: reading an object counts its entry's bytes,
// header and zlib stream, toward handing the mapping's pages back: no
// less, and nothing of the entry after it.
func TestPackConsumedIsTheEntry(t *testing.T) {
	gittest.Require(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	for v := range 3 {
		os.WriteFile(filepath.Join(dir, "f.txt"), []byte(strings.Repeat(fmt.Sprintf("version %d\n", v), 50+v)), 0o644)
		runGit(t, dir, "add", ".")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint(v))
	}
	runGit(t, dir, "repack", "-q", "-adf")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entriesOf(data) {
		if len(e) == 0 {
			continue // go-git's scanner may take the trailer for one more entry
		}
		if typ := e[0] >> 4 & 7; typ == 6 || typ == 7 {
			continue // a delta reads its base too
		}
		pk := append([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01"), e...)
		pk = append(pk, make([]byte, 20)...) // the trailer, then more bytes not to count
		m := &sharedMap{}
		p := newPacks(NewCache(1 << 20))
		p.files = []*pack{{data: pk, idx: emptyIndex(), m: m}}
		if _, _, err := p.at(0, 12, 0); err != nil {
			t.Fatal(err)
		}
		if got := m.read.Load(); got != int64(len(e)) {
			t.Errorf("an entry of %d bytes counted as %d", len(e), got)
		}
		n++
	}
	if n < 6 {
		t.Fatalf("only %d whole entries", n)
	}
}
