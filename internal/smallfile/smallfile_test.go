package smallfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadRegularFileAgreesWithOSReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	for _, content := range []string{"", "hf_x\n", strings.Repeat("a", CredentialLimit)} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, fi, err := Read(path, CredentialLimit)
		want, _ := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) || fi.Size() != int64(len(want)) {
			t.Errorf("Read of %d bytes: %d bytes, %v", len(want), len(got), err)
		}
	}
}

func TestReadMissingIsNotExist(t *testing.T) {
	_, _, err := Read(filepath.Join(t.TempDir(), "nope"), CredentialLimit)
	var e *Error
	if !errors.Is(err, fs.ErrNotExist) || errors.As(err, &e) {
		t.Errorf("missing file: %v, want fs.ErrNotExist and no *Error", err)
	}
}

func TestReadRefusesWhatIsNotASmallRegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, CredentialLimit+1), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		fifo:        "cannot read " + fifo + ": it is a named pipe, not a regular file",
		"/dev/zero": "cannot read /dev/zero: it is a character device, not a regular file",
		dir:         "cannot read " + dir + ": it is a directory, not a regular file",
		big:         "cannot read " + big + ": it is larger than 64 KiB, far more than such a file holds",
	}
	for path, want := range cases {
		if _, err := os.Stat(path); err != nil {
			continue // no /dev/zero here
		}
		_, _, err := Read(path, CredentialLimit)
		var e *Error
		if !errors.As(err, &e) || err.Error() != want {
			t.Errorf("Read(%s) = %v, want %q", path, err, want)
		}
	}
}

func TestReadUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: mode 000 is readable")
	}
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	_, _, err := Read(path, CredentialLimit)
	if err == nil || err.Error() != "cannot read "+path+": permission denied" {
		t.Errorf("mode 000: %v", err)
	}
}

func TestNamedShowsTheFileAsPeopleKnowIt(t *testing.T) {
	e := &Error{Path: "/home/a/.netrc", Why: "permission denied"}
	if got := e.Named("~/.netrc").Error(); got != "cannot read ~/.netrc: permission denied" || e.Path != "/home/a/.netrc" {
		t.Errorf("Named: %q (original now %q)", got, e.Path)
	}
}
