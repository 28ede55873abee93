package source

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRoots reads a directory as a tree (its .gitignore honoured) and a
// file as a file, in one source.
func TestRoots(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for name, content := range map[string]string{
		"tree/.gitignore": "ignored.py\n",
		"tree/kept.py":    "k = \"" + hfToken + "\"\n",
		"tree/ignored.py": "k = \"" + hfToken2 + "\"\n",
		"single.py":       "\n\nk = \"" + hfToken3 + "\"\n",
	} {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want(t, found(t, Roots{Roots: []string{"tree", "single.py"}}),
		"tree/kept.py:1 dKH9", "single.py:3 LzXc")
}
