package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadFindsTheFileAtTheRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(root, FileName), "[tokencheck]\nrequire = [\"hf:write\", \"modal\"]\n")
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	f, path, err := Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(root, FileName) {
		t.Errorf("path = %q", path)
	}
	if got := strings.Join(f.Tokencheck.Require, ","); got != "hf:write,modal" {
		t.Errorf("require = %q", got)
	}
}

func TestLoadStopsAtTheRepositoryRoot(t *testing.T) {
	outer := t.TempDir()
	write(t, filepath.Join(outer, FileName), "[tokencheck]\nrequire = [\"hf\"]\n")
	repo := filepath.Join(outer, "repo")
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	f, path, err := Load(repo)
	if err != nil || path != "" || len(f.Tokencheck.Require) != 0 {
		t.Errorf("a file above the repository must not apply: %v %q %v", f, path, err)
	}
}

func TestReadRejectsUnknownKeysNamingThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	write(t, path, "[tokencheck]\nrequires = [\"hf\"]\n")
	_, err := Read(path)
	var cfgErr *Error
	if !errors.As(err, &cfgErr) || cfgErr.Path != path {
		t.Fatalf("want *Error naming the file, got %v", err)
	}
	if !strings.Contains(err.Error(), "unknown key tokencheck.requires") {
		t.Errorf("error %q does not name the key", err)
	}
}

func TestReadReportsSyntaxErrorsWithTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	write(t, path, "[tokencheck\n")
	_, err := Read(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("want an error prefixed with the path, got %v", err)
	}
}

// FuzzRead: an error names the file, and what Read accepts round-trips:
// written back with the TOML library's encoder, it reads back the same.
func FuzzRead(f *testing.F) {
	f.Add("[tokencheck]\nrequire = [\"hf\"]\n")
	f.Add("[[x]]\n")
	f.Add("[pushguard]\nmax_file_size = \"1.5GiB\"\n[pushguard.max_file_size_by_host]\n\"github.com\" = \"100MiB\"\n")
	f.Add("[tokenage]\nmax_age = \"90d\"\n[tokenage.providers.hf]\nwarn_before = \"7d\"\n[scan]\ngitignore = false\ndisable = []\n")
	f.Fuzz(func(t *testing.T, content string) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Read(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
			t.Fatalf("encoding %+v: %v", cfg, err)
		}
		again := filepath.Join(dir, "again.toml")
		if err := os.WriteFile(again, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := Read(again)
		if err != nil || !reflect.DeepEqual(back, cfg) {
			t.Fatalf("%q read as %+v, written back as %q, reads back as %+v, %v", content, cfg, buf.String(), back, err)
		}
	})
}

func TestPushguardTableTakesSizesAsStringsOrBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	write(t, path, "[pushguard]\nmax_file_size = \"5MiB\"\n[pushguard.max_file_size_by_host]\n\"github.com\" = 104857600\n")
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Pushguard.MaxFileSize != 5<<20 || f.Pushguard.MaxFileSizeByHost["github.com"] != 100<<20 {
		t.Errorf("got %+v", f.Pushguard)
	}
	write(t, path, "[pushguard]\nmax_file_size = \"big\"\n")
	if _, err := Read(path); err == nil || !strings.Contains(err.Error(), `"big" is not a size`) {
		t.Errorf("want a size error, got %v", err)
	}
}

// The [scan] table reads sizes as [pushguard] does: the same line is valid
// under either.
func TestScanTableTakesTheSameSizes(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	for content, want := range map[string]int64{
		"[scan]\nmax_file_size = \"5MiB\"\n":   5 << 20,
		"[scan]\nmax_file_size = \"1.5MiB\"\n": 3 << 19,
		"[scan]\nmax_file_size = 5242880\n":    5 << 20,
	} {
		write(t, path, content)
		f, err := Read(path)
		if err != nil || int64(f.Scan.MaxFileSize) != want {
			t.Errorf("%q: got %d, %v; want %d", content, f.Scan.MaxFileSize, err, want)
		}
	}
}
