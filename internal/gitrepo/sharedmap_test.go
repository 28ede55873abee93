package gitrepo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestMapSharedOncePerFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pack-a.pack")
	if err := os.WriteFile(p, []byte("PACK one"), 0o644); err != nil {
		t.Fatal(err)
	}
	ma, relA, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	mb, relB, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	a, b := ma.data, mb.data
	if &a[0] != &b[0] || ma.id != mb.id {
		t.Fatal("the same file was mapped twice")
	}
	// git replaces a file by renaming a new one over it: a new mapping,
	// while the old one stays valid for its holders.
	tmp := filepath.Join(dir, "tmp")
	if err := os.WriteFile(tmp, []byte("PACK two!"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	mc, relC, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	c := mc.data
	if string(c) != "PACK two!" || string(a) != "PACK one" || mc.id == ma.id {
		t.Fatalf("after replacing the file: new mapping %q, old %q", c, a)
	}
	for _, rel := range []func() error{relA, relA, relB, relC} { // a second release is a no-op
		if err := rel(); err != nil {
			t.Fatal(err)
		}
	}
	shared.Lock()
	_, left := shared.m[p]
	shared.Unlock()
	if left {
		t.Fatal("still mapped after every release")
	}
}

// Pages handed back are read again, unchanged, by the next access.
func TestMapSharedPagesHandedBack(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pack-b.pack")
	want := make([]byte, 3<<20)
	for i := range want {
		want[i] = byte(i * 7)
	}
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	m, release, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for range 3 {
		m.consumed(releaseEvery / 2)
		if !bytes.Equal(m.data, want) {
			t.Fatal("the mapping reads differently after its pages were handed back")
		}
	}
	if n := m.read.Load(); n != releaseEvery/2 {
		t.Fatalf("%d bytes counted since the last hand-back, want %d", n, releaseEvery/2)
	}
}
