package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// scanHistory returns "path:line secret-suffix commit-subject" per finding,
// after Earliest.
func scanHistory(t *testing.T, g *gitRepo, s *History) []string {
	t.Helper()
	if s.Dir == "" {
		s.Dir = g.dir
	}
	fs, err := Scan(context.Background(), newEngine(t), s) // as secretscan and pushguard do
	if err != nil {
		t.Fatal(err)
	}
	fs = s.Earliest(fs)
	var out []string
	for _, f := range fs {
		subject := g.git("log", "-1", "--format=%s", f.Commit)
		out = append(out, f.File+":"+strconv.Itoa(f.Line)+" "+f.Secret[len(f.Secret)-4:]+" "+subject)
	}
	slices.Sort(out)
	return out
}

func TestHistoryMergeResolutionAndAttribution(t *testing.T) {
	g := newGitRepo(t)
	g.write("conf.py", "a = 1\n")
	g.commit("base")
	g.write("train.py", "t = \""+hfToken+"\"\n")
	g.commit("add token")
	g.write("train.py", "t = \""+hfToken+"\"\nx = 1\n")
	g.commit("edit around it") // the secret survives: reported once, at "add token"
	g.git("checkout", "-q", "-b", "topic", "HEAD~2")
	g.write("conf.py", "a = 2\n")
	g.commit("topic")
	g.git("checkout", "-q", "main")
	g.write("conf.py", "a = 3\n")
	g.commit("main")
	g.gitMay("merge", "-q", "topic")
	g.write("conf.py", "a = 4\nkey = \""+hfToken2+"\"\n")
	g.git("add", "conf.py")
	g.git("commit", "-q", "--no-edit", "-m", "merge topic")
	// Removed, then re-added later: still the first commit.
	g.write("train.py", "x = 1\n")
	g.commit("remove token")
	g.write("train.py", "t = \""+hfToken+"\"\nx = 1\n")
	g.commit("re-add token")

	want(t, scanHistory(t, g, &History{}),
		"conf.py:2 sT0u merge topic",
		"train.py:1 dKH9 add token")
	// Every occurrence when not reduced.
	s := &History{Dir: g.dir}
	fs, err := newEngine(t).ScanAll(context.Background(), 2, func(y func(scan.Fragment) error) error {
		return s.Fragments(context.Background(), y)
	})
	if err != nil || len(fs) != 3 {
		t.Fatalf("all occurrences: %d, %v", len(fs), err)
	}
}

// Scanned by its workers (source.Scan) or handed one fragment at a time
// to the engine's scanners, a history gives the same findings in the same
// order, whatever the number of workers.
func TestHistoryScannedBothWays(t *testing.T) {
	g := newGitRepo(t)
	for i := range 40 {
		g.write(fmt.Sprintf("m%d/a.py", i%5), fmt.Sprintf("x = %d\nt = \"%s\"\n", i, []string{hfToken, hfToken2, hfToken3}[i%3]))
		g.write(fmt.Sprintf("m%d/b.py", i%7), fmt.Sprintf("y = %d\n", i))
		g.commit(fmt.Sprintf("c%d", i))
	}
	e := newEngine(t)
	one, err := e.ScanAll(context.Background(), 2, func(y func(scan.Fragment) error) error {
		return (&History{Dir: g.dir}).Fragments(context.Background(), y)
	})
	if err != nil || len(one) == 0 {
		t.Fatalf("one at a time: %d findings, %v", len(one), err)
	}
	for _, workers := range []int{1, 2, 4} {
		each, err := Scan(context.Background(), e, &History{Dir: g.dir, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(each, one) {
			t.Fatalf("%d workers scanning: %d findings, against %d one at a time (or another order)", workers, len(each), len(one))
		}
	}
}

// Read in windows of a few pairs instead of all at once, a history gives
// the same findings, every occurrence with its commit, and the same skips;
// each commit is reported done once, and the last report is the whole.
func TestHistoryReadInWindows(t *testing.T) {
	g := newGitRepo(t)
	for i := range 30 {
		g.write(fmt.Sprintf("m%d/a.py", i%4), fmt.Sprintf("x = %d\nt = \"%s\"\n", i, []string{hfToken, hfToken2, hfToken3}[i%3]))
		g.write(fmt.Sprintf("m%d/b.bin", i%3), fmt.Sprintf("\x00%d", i))
		if i%10 == 9 {
			g.git("rm", "-qf", fmt.Sprintf("m%d/a.py", i%4))
		}
		g.commit(fmt.Sprintf("c%d", i))
	}
	e := newEngine(t)
	scanAll := func(window, workers int) ([]scan.Finding, []Skip, []int) {
		t.Helper()
		defer func(n int) { maxPending = n }(maxPending)
		maxPending = window
		var mu sync.Mutex
		var skips []Skip
		var done []int
		total := 0
		s := &History{Dir: g.dir, Workers: workers, Progress: func(n, all int) {
			mu.Lock()
			defer mu.Unlock()
			done = append(done, n)
			total = all
		}}
		s.Skipped = func(path, reason string) {
			mu.Lock()
			defer mu.Unlock()
			skips = append(skips, Skip{Path: path, Reason: reason})
		}
		fs, err := Scan(context.Background(), e, s)
		if err != nil {
			t.Fatal(err)
		}
		if total != s.Commits() {
			t.Errorf("window %d: last progress total %d, want %d commits", window, total, s.Commits())
		}
		slices.SortFunc(skips, func(a, b Skip) int { return strings.Compare(a.Path+a.Reason, b.Path+b.Reason) })
		slices.Sort(done)
		return fs, skips, done
	}
	fs, skips, done := scanAll(1<<17, 2)
	if len(fs) == 0 || len(skips) == 0 {
		t.Fatalf("%d findings and %d skips: the history should have both", len(fs), len(skips))
	}
	if len(done) != 30 || done[0] != 1 || done[29] != 30 {
		t.Errorf("progress reported %v, want each of 1..30 once", done)
	}
	for _, window := range []int{1, 7} {
		for _, workers := range []int{1, 3} {
			wfs, wskips, wdone := scanAll(window, workers)
			if !reflect.DeepEqual(wfs, fs) {
				t.Errorf("windows of %d pairs, %d workers: %d findings against %d (or others)", window, workers, len(wfs), len(fs))
			}
			if !reflect.DeepEqual(wskips, skips) {
				t.Errorf("windows of %d pairs, %d workers: skips %v, want %v", window, workers, wskips, skips)
			}
			if !reflect.DeepEqual(wdone, done) {
				t.Errorf("windows of %d pairs, %d workers: progress %v", window, workers, wdone)
			}
		}
	}
}

func TestHistoryRanges(t *testing.T) {
	g := newGitRepo(t)
	remote := newGitRepo(t)
	remote.git("config", "receive.denyCurrentBranch", "ignore")
	g.write("a.py", "a = \""+hfToken+"\"\n")
	first := g.commit("one")
	g.git("remote", "add", "origin", remote.dir)
	g.git("push", "-q", "origin", "main")
	g.write("b.py", "b = \""+hfToken2+"\"\n")
	second := g.commit("two")
	g.git("checkout", "-q", "-b", "wip")
	g.write("c.py", "c = \""+hfToken3+"\"\n")
	g.commit("three")

	want(t, scanHistory(t, g, &History{Include: []string{second}, Exclude: []string{first}}), "b.py:1 sT0u two")
	want(t, scanHistory(t, g, &History{NotPushed: true}), "b.py:1 sT0u two", "c.py:1 "+hfToken3[len(hfToken3)-4:]+" three")
	want(t, scanHistory(t, g, &History{Include: []string{"main"}}), "a.py:1 dKH9 one", "b.py:1 sT0u two")
	// From a subdirectory, --all.
	os.MkdirAll(filepath.Join(g.dir, "sub"), 0o755)
	if got := scanHistory(t, g, &History{Dir: filepath.Join(g.dir, "sub"), All: true}); len(got) != 3 {
		t.Errorf("--all: %q", got)
	}
	err := (&History{Dir: g.dir, Include: []string{"nope"}}).Fragments(context.Background(), func(scan.Fragment) error { return nil })
	if !errors.Is(err, ErrBadRevision) {
		t.Errorf("bad revision: %v", err)
	}
}

// TestHistoryMissingObject removes a blob: the scan still reads the rest
// and reports its findings, but fails naming the blob unless missing
// objects are explicitly allowed, which warns instead.
func TestHistoryMissingObject(t *testing.T) {
	g := newGitRepo(t)
	g.write("lost.py", "lost = 1\n")
	g.commit("one")
	g.write("kept.py", "k = \""+hfToken+"\"\n")
	g.commit("two")
	blob := g.git("rev-parse", "HEAD~1:lost.py")
	os.Remove(filepath.Join(g.dir, ".git", "objects", blob[:2], blob[2:]))

	s := &History{Dir: g.dir}
	fs, err := newEngine(t).ScanAll(context.Background(), 2, func(y func(scan.Fragment) error) error {
		return s.Fragments(context.Background(), y)
	})
	var inc *IncompleteError
	if !errors.As(err, &inc) || !errors.Is(err, gitrepo.ErrMissingObject) || !strings.Contains(err.Error(), blob) {
		t.Fatalf("err = %v, want an IncompleteError naming %s", err, blob)
	}
	if len(fs) != 1 || fs[0].File != "kept.py" {
		t.Errorf("findings of the readable part: %v", fs)
	}

	var (
		mu       sync.Mutex
		warnings []string
	)
	got := scanHistory(t, g, &History{AllowMissing: true, Warn: func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() }})
	want(t, got, "kept.py:1 dKH9 two")
	if len(warnings) != 1 || !strings.Contains(warnings[0], "lost.py not scanned") || !strings.Contains(warnings[0], blob) {
		t.Errorf("warnings = %q", warnings)
	}
}

// TestHistoryMissingBase removes the earlier version of a file: its lines
// then count as added by the later commit, which is said, and is an error
// unless allowed.
func TestHistoryMissingBase(t *testing.T) {
	g := newGitRepo(t)
	g.write("a.py", "k = \""+hfToken+"\"\n")
	g.commit("one")
	g.write("a.py", "k = \""+hfToken+"\"\nb = 2\n")
	g.commit("two")
	blob := g.git("rev-parse", "HEAD~1:a.py")
	os.Remove(filepath.Join(g.dir, ".git", "objects", blob[:2], blob[2:]))
	var warnings []string
	var mu sync.Mutex
	s := &History{Dir: g.dir, AllowMissing: true, Warn: func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() }}
	scanHistory(t, g, s)
	found := false
	for _, w := range warnings {
		found = found || strings.Contains(w, "earlier version") && strings.Contains(w, blob)
	}
	if !found {
		t.Errorf("warnings = %q, want the missing earlier version named", warnings)
	}
	err := (&History{Dir: g.dir}).Fragments(context.Background(), func(scan.Fragment) error { return nil })
	if !errors.Is(err, gitrepo.ErrMissingObject) {
		t.Errorf("without AllowMissing: %v", err)
	}
}

func TestHistoryShallowIsAnError(t *testing.T) {
	g := newGitRepo(t)
	g.write("a.py", "a = 1\n")
	g.commit("one")
	g.write("a.py", "a = 2\n")
	g.commit("two")
	clone := filepath.Join(t.TempDir(), "clone")
	g.git("clone", "-q", "--depth", "1", "file://"+g.dir, clone)
	err := (&History{Dir: clone}).Fragments(context.Background(), func(scan.Fragment) error { return nil })
	if !errors.Is(err, gitrepo.ErrShallow) {
		t.Fatalf("err = %v", err)
	}
}

// A history scan collects garbage at historyGCPercent and puts the
// previous target back when the last of several scans side by side ends.
func TestTuneGCNestsAndRestores(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set: the scan leaves the collector alone")
	}
	before := debug.SetGCPercent(123)
	defer debug.SetGCPercent(before)
	a := tuneGC()
	b := tuneGC()
	if got := debug.SetGCPercent(historyGCPercent); got != historyGCPercent {
		t.Fatalf("during scans the target is %d, want %d", got, historyGCPercent)
	}
	a()
	if got := debug.SetGCPercent(historyGCPercent); got != historyGCPercent {
		t.Fatalf("with one scan still running the target is %d, want %d", got, historyGCPercent)
	}
	b()
	if got := debug.SetGCPercent(123); got != 123 {
		t.Fatalf("after the scans the target is %d, want 123 back", got)
	}
}

// With a blob cache far too small for the history, the buffers of the
// versions it lets go of are reused all the time: a scan that recycles
// them (Scan, through FragmentsConcurrent) must find exactly what one that
// does not (Fragments) finds, every occurrence at its commit.
func TestHistoryRecyclingFindsTheSame(t *testing.T) {
	g := newGitRepo(t)
	var filler strings.Builder
	for i := range 24 {
		fmt.Fprintf(&filler, "row_%d = compute(%d)  # padding so that each version is a few KiB\n", i, i)
	}
	secrets := []string{hfToken, hfToken2, hfToken3}
	for i := range 60 {
		for f := range 3 {
			body := strings.Replace(filler.String(), fmt.Sprintf("row_%d ", (i*7+f)%24), fmt.Sprintf("t%d = \"%s\"\nrow_%d ", i, secrets[(i+f)%3], (i*7+f)%24), 1)
			g.write(fmt.Sprintf("m%d/train.py", f), fmt.Sprintf("# version %d\n%s", i, body))
		}
		g.commit(fmt.Sprintf("c%d", i))
	}
	g.git("gc", "-q")
	defer func(f func(int64) int64) { blobCache = f }(blobCache)
	blobCache = func(int64) int64 { return 12 << 10 } // a few versions
	e := newEngine(t)
	plain := &History{Dir: g.dir, Workers: 2}
	want, err := e.ScanAll(context.Background(), 0, func(yield func(scan.Fragment) error) error {
		return plain.Fragments(context.Background(), yield)
	})
	if err != nil {
		t.Fatal(err)
	}
	if plain.reused != 0 {
		t.Fatalf("Fragments recycled %d buffers: its consumer may keep them", plain.reused)
	}
	if len(want) < 60 {
		t.Fatalf("%d findings: every commit adds secrets", len(want))
	}
	for _, workers := range []int{1, 3, 1, 3, 1, 3} {
		s := &History{Dir: g.dir, Workers: workers}
		got, err := Scan(context.Background(), e, s)
		if err != nil {
			t.Fatal(err)
		}
		if s.reused == 0 {
			t.Fatalf("%d workers: no buffer reused, the test checked nothing", workers)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d workers, recycling: %d findings against %d (or others)", workers, len(got), len(want))
		}
	}
}
