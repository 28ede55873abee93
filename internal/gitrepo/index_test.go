package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/index"

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
		if _, _, err := parseIndex([]byte(b)); err == nil {
			t.Errorf("parseIndex(%q) did not fail", b)
		}
	}
}

// FuzzParseIndex holds the index reader to go-git's decoder: what go-git
// reads, it reads the same; what go-git refuses, it refuses too, unless
// go-git reads the entries alone (the extensions it does not know, a split
// or sparse index, or extension content git itself ignores, such as a
// corrupt cache-tree). The trailing checksum is made right first: this
// reader does not check it, go-git does.
func FuzzParseIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00" + strings.Repeat("\x00", 20)))
	f.Add([]byte("DIRC\x00\x00\x00\x04\x00\x00\x00\x01" + strings.Repeat("\x00", 62) + "\x00a\x00TREE\x00\x00\x00\x06\x00-1 0\n" + strings.Repeat("\x00", 20)))
	for _, seed := range indexSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 32 {
			parseIndex(b) // must not panic
			return
		}
		b = withChecksum(b)
		ours, _, err := parseIndex(b)
		theirs, gerr := goGitIndex(b)
		switch {
		case err != nil && gerr == nil:
			t.Fatalf("refused what go-git reads: %v", err)
		case err == nil && gerr != nil:
			entries := withChecksum(append(b[:ours.extAt:ours.extAt], make([]byte, 20)...))
			if theirs, gerr = goGitIndex(entries); gerr != nil {
				t.Fatalf("read entries go-git refuses: %v", gerr)
			}
		case err != nil:
			return
		}
		if got, want := describe(ours.Entries), theirs; got != want {
			t.Fatalf("entries:\n%s\ngo-git:\n%s", got, want)
		}
	})
}

func describe(ents []IndexEntry) string {
	var sb strings.Builder
	for _, e := range ents {
		fmt.Fprintf(&sb, "%o %s %d %v %v %q\n", e.Mode, e.Hash, e.Stage, e.IntentToAdd, e.SkipWorktree, e.Path)
	}
	return sb.String()
}

func goGitIndex(b []byte) (string, error) {
	var idx index.Index
	if err := index.NewDecoder(bytes.NewReader(b)).Decode(&idx); err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, e := range idx.Entries {
		fmt.Fprintf(&sb, "%o %s %d %v %v %q\n", uint32(e.Mode), e.Hash, e.Stage, e.IntentToAdd, e.SkipWorktree, e.Name)
	}
	return sb.String(), nil
}

// indexSeeds are indexes git wrote: every version, with a cache-tree,
// intent-to-add and skip-worktree entries, long names, a conflict.
func indexSeeds(f *testing.F) [][]byte {
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	dir := f.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			f.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	for i := range 6 {
		p := filepath.Join(dir, fmt.Sprintf("d%d/%s-%d.txt", i%2, strings.Repeat("n", i*40), i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(fmt.Sprint(i)), 0o644)
	}
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	os.WriteFile(filepath.Join(dir, "ita.txt"), []byte("x"), 0o644)
	git("add", "-N", "ita.txt")
	git("update-index", "--skip-worktree", "d0/-0.txt")
	var seeds [][]byte
	for _, v := range []string{"2", "3", "4"} {
		git("update-index", "--index-version", v)
		b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	return seeds
}

// lsFiles prints the index as `git ls-files --stage --sparse` does.
func lsFiles(idx *Index) string {
	var lines []string
	for _, e := range idx.Entries {
		lines = append(lines, fmt.Sprintf("%06o %s %d\t%s", e.Mode, e.Hash, e.Stage, e.Path))
	}
	return strings.Join(lines, "\n")
}

func sameIndex(t *testing.T, r *Repo, dir string) {
	t.Helper()
	idx, err := r.ReadIndex()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(runGit(t, dir, "ls-files", "--stage", "--sparse"))
	if got := lsFiles(idx); got != want {
		t.Errorf("entries:\n%s\ngit ls-files --stage:\n%s", got, want)
	}
}

func indexHas(t *testing.T, dir, sig string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), sig)
}

// TestSplitIndex builds split indexes whose shared index has entries
// replaced, deleted and added, in every index version, and compares what
// is read with git's view of the index and of what is staged.
func TestSplitIndex(t *testing.T) {
	needGit(t)
	for _, version := range []string{"2", "3", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			dir := t.TempDir()
			runGit(t, dir, "init", "-q")
			for i := range 12 {
				write(t, dir, fmt.Sprintf("d%d/f%02d.txt", i%3, i), fmt.Sprint(i))
			}
			runGit(t, dir, "add", "-A")
			runGit(t, dir, "commit", "-q", "-m", "one")
			runGit(t, dir, "config", "splitIndex.maxPercentChange", "100") // keep the shared index
			runGit(t, dir, "update-index", "--index-version", version)
			runGit(t, dir, "update-index", "--split-index")
			write(t, dir, "d0/f00.txt", "changed")   // replaced
			write(t, dir, "d1/f04.txt", "changed")   // replaced
			write(t, dir, "d1/new.txt", "new")       // added
			write(t, dir, "a-first.txt", "first")    // added, sorts first
			runGit(t, dir, "rm", "-q", "d2/f05.txt") // deleted
			runGit(t, dir, "add", "-A")
			runGit(t, dir, "update-index", "--chmod=+x", "d2/f08.txt")
			b, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
			_, link, err := parseIndex(b)
			if err != nil || link == nil {
				t.Fatalf("git wrote no link extension: %v", err)
			}
			count := func(e ewah) (n int) {
				e.each(func(int) error { n++; return nil })
				return n
			}
			if count(link.replace) == 0 || count(link.delete) == 0 {
				t.Fatalf("the split index replaces %d and deletes %d shared entries", count(link.replace), count(link.delete))
			}
			r := open(t, dir)
			sameIndex(t, r, dir)
			sameStaged(t, r, dir)
		})
	}
	// core.splitIndex splits on the next write.
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	runGit(t, dir, "config", "core.splitIndex", "true")
	write(t, dir, "a.txt", "a")
	runGit(t, dir, "add", "a.txt")
	runGit(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "b.txt", "b")
	runGit(t, dir, "add", "b.txt")
	if !indexHas(t, dir, "link") {
		t.Fatal("core.splitIndex: git wrote no link extension")
	}
	sameStaged(t, open(t, dir), dir)

	// A shared index that is gone is an error, not an empty index.
	shared, _ := filepath.Glob(filepath.Join(dir, ".git", "sharedindex.*"))
	for _, s := range shared {
		os.Remove(s)
	}
	if _, err := open(t, dir).ReadIndex(); err == nil {
		t.Error("split index without its shared index was read")
	}
}

// TestSparseIndex stages, with `git reset --soft`, a change inside a
// directory a sparse index keeps as one tree entry: it is found by tree
// id, as git diff --cached finds it.
func TestSparseIndex(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	write(t, dir, "in/a.txt", "a")
	write(t, dir, "out/deep/b.txt", "b")
	write(t, dir, "out/c.txt", "c")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "out/deep/secret.py", "token")
	write(t, dir, "out/c.txt", "c2")
	write(t, dir, "gone/x.txt", "x")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "two")
	runGit(t, dir, "sparse-checkout", "set", "--sparse-index", "in")
	runGit(t, dir, "reset", "-q", "--soft", "HEAD~1")
	r := open(t, dir)
	idx, err := r.ReadIndex()
	if err != nil {
		t.Fatal(err)
	}
	sparse := 0
	for _, e := range idx.Entries {
		if e.IsSparseDir() {
			sparse++
		}
	}
	if sparse == 0 {
		t.Fatal("git wrote no sparse directory entries")
	}
	sameIndex(t, r, dir)
	sameStaged(t, r, dir)
	blobs, err := r.IndexBlobs()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := blobs["out/deep/secret.py"]; !ok {
		t.Error("IndexBlobs: a file inside a sparse directory is missing")
	}
}

// TestIndexOptionalExtensions reads indexes carrying the untracked cache
// and the end-of-index and offset-table extensions.
func TestIndexOptionalExtensions(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	for i := range 40 {
		write(t, dir, fmt.Sprintf("d%d/f%02d.txt", i%4, i), fmt.Sprint(i))
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "d1/new.txt", "new")
	write(t, dir, "untracked.txt", "u")
	runGit(t, dir, "add", "d1/new.txt")
	runGit(t, dir, "update-index", "--untracked-cache")
	runGit(t, dir, "-c", "index.recordEndOfIndexEntries=true", "-c", "index.recordOffsetTable=true", "-c", "index.threads=4", "status", "--short")
	for _, sig := range []string{"UNTR", "EOIE"} {
		if !indexHas(t, dir, sig) {
			t.Fatalf("git wrote no %s extension", sig)
		}
	}
	r := open(t, dir)
	sameIndex(t, r, dir)
	sameStaged(t, r, dir)
}
