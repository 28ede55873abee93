package gitrepo

import (
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
	a, relA, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	b, relB, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	if &a[0] != &b[0] {
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
	c, relC, err := mapShared(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(c) != "PACK two!" || string(a) != "PACK one" {
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
