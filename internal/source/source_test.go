package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokenguard/tokenguard/internal/scan"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func collect(t *testing.T, s Source) ([]string, error) {
	t.Helper()
	var paths []string
	err := s.Fragments(context.Background(), func(f scan.Fragment) error {
		paths = append(paths, f.Path)
		return nil
	})
	return paths, err
}

func TestDirWalk(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"a.py":              "x",
		".git/config":       "secret",
		"sub/.gitignore":    "*.log\n!keep.log\n",
		"sub/b.log":         "x",
		"sub/keep.log":      "x",
		"sub/c.txt":         "x",
		".gitignore":        "build/\n",
		"build/out.js":      "x",
		"img.png":           "\x89PNG\x00\x00",
		"big.txt":           strings.Repeat("a", 2048),
		"deep/x/.gitignore": "/y.txt\n",
		"deep/x/y.txt":      "x",
		"deep/y.txt":        "x",
	})
	if err := os.Symlink(filepath.Join(root, "a.py"), filepath.Join(root, "link.py")); err != nil {
		t.Fatal(err)
	}
	var skipped []string
	opts := Options{MaxSize: 1024, Skipped: func(p, why string) { skipped = append(skipped, p+": "+why) }}

	t.Chdir(root)
	got, err := collect(t, Dir{Root: ".", Gitignore: true, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "a.py", "deep/x/.gitignore", "deep/y.txt", "sub/.gitignore", "sub/c.txt", "sub/keep.log"}
	if !slices.Equal(got, want) {
		t.Errorf("with .gitignore: got %v\nwant %v", got, want)
	}
	if !slices.Equal(skipped, []string{"big.txt: larger than 1 KiB", "img.png: binary"}) {
		t.Errorf("skipped %v", skipped)
	}

	got, _ = collect(t, Dir{Root: ".", Options: opts})
	if !slices.Contains(got, "build/out.js") || !slices.Contains(got, "sub/b.log") || slices.Contains(got, ".git/config") {
		t.Errorf("without .gitignore: got %v", got)
	}

	got, _ = collect(t, Dir{Root: ".", Options: Options{Exclude: func(p string) bool { return p == "sub" }}})
	if slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, "sub/") }) {
		t.Errorf("excluded directory walked: %v", got)
	}
	got, _ = collect(t, Dir{Root: "sub"})
	if !slices.Equal(got, []string{"sub/.gitignore", "sub/b.log", "sub/c.txt", "sub/keep.log"}) {
		t.Errorf("paths under a root are root-relative: %v", got)
	}
}

func TestFilesAndMissing(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"a.env": "x", "d/b.env": "y"})
	got, err := collect(t, Files{Paths: []string{filepath.Join(root, "a.env"), filepath.Join(root, "d")}})
	if err != nil || len(got) != 2 {
		t.Fatalf("got %v %v", got, err)
	}
	var skips Skips
	nope := filepath.Join(root, "nope")
	got, err = collect(t, Files{Paths: []string{nope, filepath.Join(root, "a.env")}, Options: Options{Skipped: skips.Add}})
	if err != nil || len(got) != 1 {
		t.Errorf("a missing file stops the scan: %v %v", got, err)
	}
	if l := skips.List(); len(l) != 1 || !l[0].Missing() || l[0].Path != filepath.ToSlash(nope) {
		t.Errorf("missing file: %v", l)
	}
	if _, err := collect(t, Dir{Root: nope}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing root: %v", err)
	}
}

func TestStdin(t *testing.T) {
	got, err := collect(t, Stdin{R: strings.NewReader("hello"), Name: "nb.ipynb"})
	if err != nil || !slices.Equal(got, []string{"nb.ipynb"}) {
		t.Fatalf("got %v %v", got, err)
	}
	var skips Skips
	got, err = collect(t, Stdin{R: strings.NewReader(strings.Repeat("a", 100)), Options: Options{MaxSize: 10, Skipped: skips.Add}})
	if l := skips.List(); err != nil || len(got) != 0 || len(l) != 1 || l[0].Reason != "larger than 10 bytes" || l[0].Path != "-" {
		t.Errorf("oversized stdin: %v %v %v", got, err, l)
	}
}

func TestReadBuffersAreReusedOnlyAfterDone(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"a.txt": "first file", "b.txt": "second", "c.txt": "third"})
	for len(buffers) > 0 {
		<-buffers // left by other tests
	}
	read := func(name string) scan.Fragment {
		t.Helper()
		p := filepath.Join(root, name)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := readFile(p, name, fi.Size(), Options{})
		if !ok || f.Done == nil {
			t.Fatalf("readFile(%s) = %v, done set %v", name, ok, f.Done != nil)
		}
		return f
	}
	a := read("a.txt")
	b := read("b.txt") // a is not done: b must not share its buffer
	if &a.Content[:1][0] == &b.Content[:1][0] || string(a.Content) != "first file" {
		t.Fatalf("a buffer still in use was handed out again")
	}
	a.Done()
	c := read("c.txt")
	if &c.Content[:1][0] != &a.Content[:1][0] {
		t.Errorf("a done buffer was not reused")
	}
	if string(c.Content) != "third" || string(b.Content) != "second" {
		t.Errorf("contents %q, %q", c.Content, b.Content)
	}
	b.Done()
	c.Done()
}

func TestLargeReadBuffersAreNotKept(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"big.txt": strings.Repeat("x", maxPooled+1)})
	p := filepath.Join(root, "big.txt")
	for len(buffers) > 0 {
		<-buffers
	}
	f, ok := readFile(p, "big.txt", maxPooled+1, Options{})
	if !ok {
		t.Fatal("not read")
	}
	f.Done()
	if len(buffers) != 0 {
		t.Errorf("a %d-byte buffer was kept", cap(f.Content))
	}
}

// A tree scanned by readers on several goroutines (source.Scan, as
// secretscan dir does) gives what a scan of its files one at a time gives:
// the same findings in the same order, the same skips.
func TestDirScannedBothWays(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		".gitignore":   "ignored/\n",
		"ignored/a.py": "t = \"" + hfToken + "\"\n",
		"img.png":      "\x89PNG\x00\x00",
		"big.txt":      strings.Repeat("a", 4096),
	}
	for i := range 60 {
		files[fmt.Sprintf("m%d/f%d.py", i%7, i)] = fmt.Sprintf("x = %d\nt = \"%s\"\n", i, []string{hfToken, hfToken2, hfToken3}[i%3])
	}
	write(t, root, files)
	e := newEngine(t)
	scanWith := func(concurrent bool) ([]scan.Finding, []string) {
		var mu sync.Mutex
		var skipped []string
		d := Dir{Root: root, Gitignore: true, Options: Options{MaxSize: 1024, Skipped: func(p, why string) {
			mu.Lock()
			defer mu.Unlock()
			skipped = append(skipped, p+": "+why)
		}}}
		var fs []scan.Finding
		var err error
		if concurrent {
			fs, err = Scan(context.Background(), e, d)
		} else {
			fs, err = e.ScanAll(context.Background(), 2, func(y func(scan.Fragment) error) error {
				return d.Fragments(context.Background(), y)
			})
		}
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(skipped)
		return fs, skipped
	}
	one, oneSkips := scanWith(false)
	if len(one) != 60 || len(oneSkips) != 2 {
		t.Fatalf("one file at a time: %d findings, skips %v; want 60 and 2", len(one), oneSkips)
	}
	for range 3 {
		each, eachSkips := scanWith(true)
		if !reflect.DeepEqual(each, one) || !slices.Equal(eachSkips, oneSkips) {
			t.Fatalf("read concurrently: %d findings, skips %v; one at a time: %d, %v", len(each), eachSkips, len(one), oneSkips)
		}
	}
}

// A yield that fails stops the concurrent readers, and its error is the
// scan's.
func TestDirConcurrentStopsAtYieldError(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("f%03d.txt", i)] = "x"
	}
	write(t, root, files)
	stop := errors.New("stop")
	var n atomic.Int64
	err := Dir{Root: root}.FragmentsConcurrent(context.Background(), func(f scan.Fragment) error {
		if f.Done != nil {
			f.Done()
		}
		if n.Add(1) == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want the yield's", err)
	}
	if n.Load() >= 200 {
		t.Errorf("all %d files yielded after the error", n.Load())
	}
}
