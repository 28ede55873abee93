package hubupload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub"
)

func TestGlobs(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"*.bin", "a.bin", true},
		{"*.bin", "sub/a.bin", true}, // fnmatch: * crosses /
		{"*.bin", "a.binx", false},
		{"sub/", "sub/a/b.txt", true},
		{"sub/", "subx/a", false},
		{"a?.txt", "ab.txt", true},
		{"a?.txt", "a/.txt", true},
		{"[x].txt", "[x].txt", true},
	} {
		if got := compileGlobs([]string{c.pattern}).match(c.path); got != c.want {
			t.Errorf("%q on %q = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"m/a.txt", "m/sub/b.bin", "m/.git/HEAD", "m/.cache/huggingface/x", "m/keep.tmp", "single.json"} {
		abs := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := collect([]string{filepath.Join(dir, "m"), filepath.Join(dir, "single.json")}, "/up/", nil, compileGlobs([]string{"*.tmp"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if want := "up/a.txt up/single.json up/sub/b.bin"; strings.Join(got, " ") != want {
		t.Errorf("collected %v, want %s", got, want)
	}
}

func TestDeletions(t *testing.T) {
	remote := []hub.RemoteFile{{Path: ".gitattributes"}, {Path: "ckpt/a.bin"}, {Path: "ckpt/b.bin"}, {Path: "other/c.bin"}, {Path: "ckpt/n.txt"}}
	uploading := []*hub.LocalFile{{Path: "ckpt/b.bin"}}
	got := deletions(remote, "ckpt", compileGlobs([]string{"*.bin"}), uploading)
	if strings.Join(got, " ") != "ckpt/a.bin" {
		t.Errorf("deletions = %v, want only ckpt/a.bin", got)
	}
	got = deletions(remote, "", compileGlobs([]string{"*"}), nil)
	if strings.Join(got, " ") != "ckpt/a.bin ckpt/b.bin ckpt/n.txt other/c.bin" {
		t.Errorf("deletions = %v: .gitattributes must never be deleted", got)
	}
}
