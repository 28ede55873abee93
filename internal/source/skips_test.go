package source

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// skipped is "path: reason" for each skip, in order.
func skipped(s *Skips) []string {
	var out []string
	for _, k := range s.List() {
		out = append(out, k.Path+": "+k.Reason)
	}
	return out
}

func TestFilesGoOnPastWhatCannotBeRead(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	write(t, root, map[string]string{"b.env": "x", "c.env": "y"})
	if err := os.Symlink("gone.env", "a.env"); err != nil {
		t.Fatal(err)
	}
	var skips Skips
	got, err := collect(t, Files{Paths: []string{"a.env", "b.env", "nope.env", "c.env"}, Options: Options{Skipped: skips.Add}})
	if err != nil || !slices.Equal(got, []string{"b.env", "c.env"}) {
		t.Errorf("read %v, %v", got, err)
	}
	want := []string{"a.env: unreadable: dangling symbolic link to gone.env", "nope.env: no such file or directory"}
	if s := skipped(&skips); !slices.Equal(s, want) {
		t.Errorf("skipped %q\nwant %q", s, want)
	}
}

func TestFilesPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which reads files whatever their mode")
	}
	root := t.TempDir()
	write(t, root, map[string]string{"a.env": "x", "locked/b.env": "y"})
	t.Chdir(root)
	if err := os.Chmod("a.env", 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod("locked", 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) })
	var skips Skips
	if _, err := collect(t, Files{Paths: []string{"a.env", "locked/b.env"}, Options: Options{Skipped: skips.Add}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a.env: unreadable: permission denied", "locked/b.env: unreadable: permission denied"}
	if s := skipped(&skips); !slices.Equal(s, want) {
		t.Errorf("skipped %q\nwant %q", s, want)
	}
	skips = Skips{}
	if _, err := collect(t, Dir{Root: ".", Options: Options{Skipped: skips.Add}}); err != nil {
		t.Fatal(err)
	}
	want = []string{"a.env: unreadable: permission denied", "locked: unreadable: permission denied"}
	if s := skipped(&skips); !slices.Equal(s, want) {
		t.Errorf("dir: skipped %q\nwant %q", s, want)
	}
}

// A named pipe or a device named on the command line is read, at most one
// byte past the limit: one that never ends is reported as too large.
func TestFilesReadPipesAndDevicesUpToTheLimit(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	if err := syscall.Mkfifo("short", 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	if err := syscall.Mkfifo("endless", 0o600); err != nil {
		t.Fatal(err)
	}
	go writeFIFO(t, "short", func(w io.Writer) { io.WriteString(w, "token = 1\n") })
	go writeFIFO(t, "endless", func(w io.Writer) {
		for {
			if _, err := w.Write(make([]byte, 4096)); err != nil {
				return // the reader stopped at the limit
			}
		}
	})
	var skips Skips
	var contents []string
	done := make(chan error)
	go func() {
		done <- Files{Paths: []string{"short", "endless", "/dev/zero"}, Options: Options{MaxSize: 1 << 16, Skipped: skips.Add}}.
			Fragments(t.Context(), func(f scan.Fragment) error {
				contents = append(contents, f.Path+"="+string(f.Content))
				return nil
			})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("reading an endless pipe did not stop at the limit")
	}
	if !slices.Equal(contents, []string{"short=token = 1\n"}) {
		t.Errorf("read %q", contents)
	}
	want := []string{"/dev/zero: larger than 64 KiB", "endless: larger than 64 KiB"}
	if s := skipped(&skips); !slices.Equal(s, want) {
		t.Errorf("skipped %q\nwant %q", s, want)
	}
}

func writeFIFO(t *testing.T, path string, write func(io.Writer)) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	write(f)
}

// In a walk, pipes, sockets and devices are listed, never opened (a pipe
// without a writer would block the walk forever).
func TestDirListsSpecialFilesWithoutOpeningThem(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"a.env": "x"})
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	// Socket paths are limited to ~100 bytes: listen from inside root.
	t.Chdir(root)
	l, err := net.Listen("unix", "sock")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := os.Symlink("a.env", "link.env"); err != nil {
		t.Fatal(err)
	}
	var skips Skips
	got, err := collect(t, Dir{Root: ".", Options: Options{Skipped: skips.Add}})
	if err != nil || !slices.Equal(got, []string{"a.env"}) {
		t.Errorf("read %v, %v", got, err)
	}
	want := []string{"pipe: not a regular file: named pipe", "sock: not a regular file: socket"}
	if s := skipped(&skips); !slices.Equal(s, want) {
		t.Errorf("skipped %q\nwant %q", s, want)
	}
}

// An entry listed and then gone before it is read is named, not dropped.
func TestDirEntryThatVanishes(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"a.env": "x", "b.env": "y"})
	t.Chdir(root)
	var skips Skips
	// Exclude is asked about each file between listing and reading it:
	// the moment to make one disappear.
	vanish := func(p string) bool {
		if p == "a.env" {
			os.Remove(p)
		}
		return false
	}
	got, err := collect(t, Dir{Root: ".", Options: Options{Skipped: skips.Add, Exclude: vanish}})
	if err != nil || !slices.Equal(got, []string{"b.env"}) {
		t.Errorf("read %v, %v", got, err)
	}
	if s := skipped(&skips); !slices.Equal(s, []string{"a.env: unreadable: no such file or directory"}) {
		t.Errorf("skipped %q", s)
	}
}

func TestSkipsSplitsCommitsAndSorts(t *testing.T) {
	var s Skips
	s.Add("z.bin", ReasonBinary)
	s.Add("data/big.csv in 0123456789ab", TooLargeReason(10<<20))
	s.Add("a file in the docs", ReasonMissing) // " in " but no commit
	s.Add("z.bin", ReasonBinary)
	l := s.List()
	got := fmt.Sprint(l)
	want := "[{a file in the docs  no such file or directory} {data/big.csv 0123456789ab larger than 10 MiB} {z.bin  binary}]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !l[1].TooLarge() || !l[1].Incomplete(false) || l[1].Incomplete(true) {
		t.Errorf("too large: %+v", l[1])
	}
	if !l[2].Binary() || l[2].Incomplete(false) {
		t.Errorf("binary: %+v", l[2])
	}
	if !l[0].Missing() || !l[0].Incomplete(true) {
		t.Errorf("missing: %+v", l[0])
	}
	u := Skip{Reason: unreadable(&os.PathError{Op: "open", Path: "/x/y", Err: syscall.EACCES})}
	if u.Reason != "unreadable: permission denied" || strings.Contains(u.Reason, "/x/y") || !u.Incomplete(true) {
		t.Errorf("unreadable: %+v", u)
	}
}
