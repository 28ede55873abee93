package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// Walk and Lookup read trees in place, through a tree cache small enough
// to be emptied on the way: what they find must be what git lists, for
// names that sort next to a directory's ("a-b", "a.b" and "a/"), nested
// directories, absent paths and paths through a file.
func TestWalkAndLookupAgreeWithGit(t *testing.T) {
	gittest.Require(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	for _, p := range []string{"a", "a-b", "a.b", "b/a", "b/a-b", "b/c/d/e.txt", "b/c/d.txt", "z/y/x/w/v.txt", "z0"} {
		full := filepath.Join(dir, p)
		if p == "a" {
			full = filepath.Join(dir, "a", "inside")
		}
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("content of "+p+"\n"), 0o644)
	}
	os.Symlink("a-b", filepath.Join(dir, "link"))
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "c")
	r, err := Open(dir, Options{TreeCache: 200})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, err := r.HeadCommit()
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Commit(head)
	if err != nil {
		t.Fatal(err)
	}
	root := c.Tree
	var walked []string
	err = r.Walk(root, func(path string, e Entry) error {
		walked = append(walked, fmt.Sprintf("%06o %s\t%s", e.Mode, e.Hash, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(runGit(t, dir, "ls-tree", "-r", "--format=%(objectmode) %(objectname)\t%(path)", "HEAD"))
	if got := strings.Join(walked, "\n"); got != want {
		t.Errorf("Walk:\n%s\ngit ls-tree -r:\n%s", got, want)
	}
	for _, path := range []string{"a", "a/inside", "a-b", "a.b", "b", "b/c", "b/c/d", "b/c/d/e.txt", "b/c/d.txt", "z/y/x/w/v.txt", "link",
		"missing", "a/missing", "a-b/x", "b/c/d/e.txt/x", "z0/y", "b/c/d/e"} {
		e, ok, err := r.Lookup(root, path)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", path, err)
		}
		var got string
		if ok {
			got = fmt.Sprintf("%06o %s", e.Mode, e.Hash)
		}
		// Without -r, ls-tree lists a directory named as itself.
		want := strings.TrimSpace(runGit(t, dir, "ls-tree", "--format=%(objectmode) %(objectname)", "HEAD", "--", path))
		if got != want {
			t.Errorf("Lookup(%q) = %q; git ls-tree says %q", path, got, want)
		}
	}
}
