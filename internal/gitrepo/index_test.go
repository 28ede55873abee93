package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// runGit runs the real git, hermetically, and returns its standard output.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return gittest.Run(t, dir, args...)
}

// TestReadIndexMatchesGit reads indexes of every version, with intent-to-add
// entries and a cache-tree, and compares with `git ls-files --stage`.
func TestReadIndexMatchesGit(t *testing.T) {
	gittest.Require(t)
	for _, version := range []string{"2", "3", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			dir := t.TempDir()
			runGit(t, dir, "init", "-q")
			for i := range 30 {
				p := filepath.Join(dir, fmt.Sprintf("d%d/sub/file-with-a-longer-name-%02d.txt", i%3, i))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprint(i)), 0o644)
			}
			runGit(t, dir, "add", "-A")
			runGit(t, dir, "commit", "-q", "-m", "one")
			os.WriteFile(filepath.Join(dir, "new.txt"), []byte("n"), 0o644)
			runGit(t, dir, "add", "-N", "new.txt")
			runGit(t, dir, "update-index", "--index-version", version)
			r, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			idx, err := r.ReadIndex()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range idx.Entries {
				got = append(got, fmt.Sprintf("%06o %s %d\t%s", e.Mode, e.Hash, e.Stage, e.Path))
				if e.IntentToAdd != (e.Path == "new.txt") {
					t.Errorf("%s: intent-to-add %v", e.Path, e.IntentToAdd)
				}
			}
			want := strings.TrimSpace(runGit(t, dir, "ls-files", "--stage"))
			if strings.Join(got, "\n") != want {
				t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
			}
			// The cache-tree holds the unchanged directories with HEAD's ids.
			for _, d := range []string{"d0", "d1/sub"} {
				h, ok := idx.Trees[d]
				if want := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD:"+d)); !ok || h.String() != want {
					t.Errorf("cache-tree %s = %v %v, want %s", d, h, ok, want)
				}
			}
		})
	}
}

func TestParseIndexCorrupt(t *testing.T) {
	for _, b := range []string{"", "DIRC", "XXXX\x00\x00\x00\x02\x00\x00\x00\x00" + strings.Repeat("\x00", 20), "DIRC\x00\x00\x00\x02\x00\x00\x00\x05" + strings.Repeat("\x00", 20)} {
		if _, err := parseIndex([]byte(b)); err == nil {
			t.Errorf("parseIndex(%q) did not fail", b)
		}
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00" + strings.Repeat("\x00", 20)))
	f.Add([]byte("DIRC\x00\x00\x00\x04\x00\x00\x00\x01" + strings.Repeat("\x00", 62) + "\x00a\x00TREE\x00\x00\x00\x06\x00-1 0\n" + strings.Repeat("\x00", 20)))
	f.Fuzz(func(t *testing.T, b []byte) {
		parseIndex(b) // must not panic
	})
}
