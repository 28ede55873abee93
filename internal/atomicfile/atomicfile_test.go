package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWritePrivateCreatesAPrivateFileInAPrivateDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ledger.json")
	if err := WritePrivate(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WritePrivate(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "two" {
		t.Fatalf("content %q, %v", data, err)
	}
	fi, _ := os.Stat(path)
	di, _ := os.Stat(filepath.Dir(path))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("file %v, directory %v; want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteNamesThePathInErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "x")
	err := Write(path, nil, 0o644)
	want := "failed to write " + path + ": no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q (the path named, no temporary file)", err, want)
	}
}
