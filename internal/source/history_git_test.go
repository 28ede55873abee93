package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// The git-plumbing path is held to the fast reader, which is itself held
// to git by the differential tests: on the same SHA-1 repository both must
// yield the same fragments, skip the same files and pick the same earliest
// commits.

// clock gives each commit its own fixed author and committer date, so a
// history built twice (SHA-1 and SHA-256) is the same but for the ids.
type clock struct {
	g *gitRepo
	n int
}

func (c *clock) tick() {
	c.n++
	date := fmt.Sprintf("%d +0100", 1700000000+c.n*3600)
	c.g.env = append(c.g.env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
}

func (c *clock) commit(msg string) string {
	c.tick()
	return c.g.commit(msg)
}

// buildShapes makes a history with the shapes the added-lines rules care
// about: edits, a block moved within a file, exact and inexact renames, a
// copy, a symbolic link, a mode change, binary and large files, an allow
// comment, CRLF, odd path names, a deletion, an empty commit, a merge whose
// resolution adds a token, an octopus merge, an unmerged side branch and
// an annotated tag.
func buildShapes(g *gitRepo) {
	c := &clock{g: g}
	g.write("conf.py", "a = 1\nb = 2\nc = 3\n")
	g.write("notes/ünï côde.txt", "hello\nworld\n")
	g.write("old.py", "one\ntwo\nthree\nfour\n")
	c.commit("base")
	g.write("train.py", "import os\n# tokenguard:allow\nt = \""+hfToken+"\"\n")
	g.write("crlf.txt", "x = 1\r\ny = \""+hfToken3+"\"\r\n")
	g.write("weights.bin", "\x00\x01binary "+hfToken+"\n")
	g.write("big.txt", strings.Repeat("filler line\n", 40)+"k = \""+hfToken2+"\"\n")
	g.write("skip/vendored.py", "v = \""+hfToken2+"\"\n")
	c.commit("add things")
	g.write("conf.py", "c = 3\na = 1\nb = 2\nd = \""+hfToken2+"\"\n")
	g.git("mv", "notes/ünï côde.txt", "notes/renamed.txt")
	g.git("mv", "old.py", "new.py")
	g.write("new.py", "one\ntwo\nthree\nfour\nk = \""+hfToken3+"\"\n")
	c.commit("move, rename and edit")
	g.write("copy.py", "c = 3\na = 1\nb = 2\nd = \""+hfToken2+"\"\n")
	if err := os.Symlink("conf.py", filepath.Join(g.dir, "link.py")); err != nil {
		g.t.Fatal(err)
	}
	os.Chmod(filepath.Join(g.dir, "crlf.txt"), 0o755)
	c.commit("copy, link, mode")
	g.write("odd\nname.py", "k = \""+hfToken+"\"\n")
	g.write(" lead space.py", "k = \""+hfToken2+"\"\n")
	c.commit("odd names")
	g.git("rm", "-q", "big.txt")
	c.commit("delete")
	c.commit("empty")

	g.git("checkout", "-q", "-b", "topic", "HEAD~2")
	g.write("conf.py", "topic version\n")
	g.write("topic.py", "t = \""+hfToken3+"\"\n")
	c.commit("topic")
	g.git("checkout", "-q", "main")
	g.write("conf.py", "main version\n")
	c.commit("main")
	c.tick()
	g.gitMay("merge", "-q", "topic")
	g.write("conf.py", "topic version\nkey = \""+hfToken+"\"\nmain version\n")
	g.git("add", "conf.py")
	g.git("commit", "-q", "--no-edit")

	for _, b := range []string{"o1", "o2"} {
		g.git("checkout", "-q", "-b", b, "main")
		g.write(b+".txt", b+" = \""+hfToken2+"\"\n")
		c.commit(b)
	}
	g.git("checkout", "-q", "main")
	c.tick()
	g.git("merge", "-q", "--no-edit", "o1", "o2")

	g.git("checkout", "-q", "-b", "side", "HEAD~3")
	g.write("side.py", "s = \""+hfToken3+"\"\n")
	c.commit("side")
	c.tick()
	g.git("tag", "-a", "-m", "v1", "v1")
	g.git("checkout", "-q", "main")
	g.write("after.py", "a = \""+hfToken+"\"\n")
	c.commit("after")
}

// historyRun is what one history read produced, in comparable form.
type historyRun struct {
	fragments []string
	skipped   []string
	earliest  []string
	commits   int
}

func runHistory(t *testing.T, s *History, viaGit bool) historyRun {
	t.Helper()
	var run historyRun
	var mu sync.Mutex
	s.MaxSize = 400
	s.Skipped = func(path, reason string) {
		mu.Lock()
		defer mu.Unlock()
		run.skipped = append(run.skipped, path+": "+reason)
	}
	s.Options.Exclude = func(path string) bool { return strings.HasPrefix(path, "skip/") }
	s.Warn = func(msg string) { t.Errorf("warning: %s", msg) }
	fragments := s.Fragments
	if viaGit {
		fragments = s.fragmentsViaGit
	}
	fs, err := newEngine(t).ScanAll(context.Background(), 2, func(yield func(scan.Fragment) error) error {
		return fragments(context.Background(), func(f scan.Fragment) error {
			mu.Lock()
			run.fragments = append(run.fragments, fmt.Sprintf("%s %q:%d %q %s <%s> %s",
				f.Commit, f.Path, f.StartLine, f.Content, f.Author, f.Email, f.Date.Format("2006-01-02T15:04:05-0700")))
			mu.Unlock()
			return yield(f)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Earliest(fs) {
		run.earliest = append(run.earliest, fmt.Sprintf("%s:%d %s %s", f.File, f.Line, f.RuleID, f.Commit))
	}
	run.commits = s.Commits()
	slices.Sort(run.fragments)
	slices.Sort(run.skipped)
	slices.Sort(run.earliest)
	return run
}

func sameLists(t *testing.T, what string, fast, git []string) {
	t.Helper()
	if slices.Equal(fast, git) {
		return
	}
	for _, x := range fast {
		if !slices.Contains(git, x) {
			t.Errorf("%s: only the fast reader has %s", what, x)
		}
	}
	for _, x := range git {
		if !slices.Contains(fast, x) {
			t.Errorf("%s: only git's plumbing has %s", what, x)
		}
	}
}

// TestHistoryViaGit compares, on one history with every shape: the fast
// reader and git's plumbing on a SHA-1 repository, for each way of
// selecting commits; then the same history built with SHA-256 ids, which
// History hands to git by itself, against the SHA-1 one, told apart only
// by commit ids.
func TestHistoryViaGit(t *testing.T) {
	g := newGitRepo(t)
	buildShapes(g)
	base := g.git("rev-parse", "main~4")
	g.git("update-ref", "refs/remotes/origin/main", "main~2")
	cases := map[string]func() *History{
		"head":       func() *History { return &History{} },
		"all":        func() *History { return &History{All: true} },
		"range":      func() *History { return &History{Include: []string{"main"}, Exclude: []string{base}} },
		"tag":        func() *History { return &History{Include: []string{"v1"}} },
		"not-pushed": func() *History { return &History{NotPushed: true} },
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			fast, git := mk(), mk()
			fast.Dir, git.Dir = g.dir, g.dir
			f, p := runHistory(t, fast, false), runHistory(t, git, true)
			if len(f.fragments) < 3 || len(f.earliest) < 2 {
				t.Fatalf("the shapes yielded too little to compare: %d fragments, %d findings", len(f.fragments), len(f.earliest))
			}
			sameLists(t, "fragments", f.fragments, p.fragments)
			sameLists(t, "skipped", f.skipped, p.skipped)
			sameLists(t, "earliest", f.earliest, p.earliest)
			if f.commits != p.commits {
				t.Errorf("commits: fast reader %d, git's plumbing %d", f.commits, p.commits)
			}
		})
	}

	t.Run("sha256", func(t *testing.T) {
		g2 := newSHA256Repo(t)
		buildShapes(g2)
		bySubject := func(g *gitRepo, lines []string) []string {
			ids := map[string]string{}
			for _, l := range strings.Split(g.git("log", "--all", "--format=%H %s"), "\n") {
				id, subject, _ := strings.Cut(l, " ")
				ids[id] = subject
			}
			out := make([]string, len(lines))
			for i, l := range lines {
				for id, subject := range ids {
					l = strings.ReplaceAll(l, id, "<"+subject+">")
					l = strings.ReplaceAll(l, id[:12], "<"+subject+">")
				}
				out[i] = l
			}
			slices.Sort(out)
			return out
		}
		f := runHistory(t, &History{Dir: g.dir, All: true}, false)
		p := runHistory(t, &History{Dir: g2.dir, All: true}, false)
		for _, fr := range p.fragments {
			if id, _, _ := strings.Cut(fr, " "); len(id) != 64 {
				t.Fatalf("fragment %s does not carry a SHA-256 commit id", fr)
			}
		}
		sameLists(t, "fragments", bySubject(g, f.fragments), bySubject(g2, p.fragments))
		sameLists(t, "skipped", bySubject(g, f.skipped), bySubject(g2, p.skipped))
		sameLists(t, "earliest", bySubject(g, f.earliest), bySubject(g2, p.earliest))
		if f.commits != p.commits {
			t.Errorf("commits: SHA-1 %d, SHA-256 %d", f.commits, p.commits)
		}
	})
}

// newSHA256Repo is newGitRepo with SHA-256 object ids, or a skip when the
// installed git cannot make one.
func newSHA256Repo(t *testing.T) *gitRepo {
	t.Helper()
	g := newGitRepo(t)
	os.RemoveAll(filepath.Join(g.dir, ".git"))
	cmd := gittest.Command(t, g.dir, "init", "-q", "--object-format=sha256")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("the installed git cannot make SHA-256 repositories: %v: %s", err, out)
	}
	return g
}

func TestStagedViaGitMatchesFastReader(t *testing.T) {
	g := newGitRepo(t)
	c := &clock{g: g}
	g.write("conf.py", "a = 1\nb = 2\n")
	g.write("old.py", "one\ntwo\nthree\nfour\n")
	g.write("gone.py", "bye\n")
	g.write("moved.txt", "moved content\n")
	c.commit("base")

	compare := func(t *testing.T) {
		t.Helper()
		var fast, git, fastSkip, gitSkip []string
		collect := func(dst *[]string) func(scan.Fragment) error {
			return func(f scan.Fragment) error {
				*dst = append(*dst, fmt.Sprintf("%q:%d %q", f.Path, f.StartLine, f.Content))
				return nil
			}
		}
		o := func(skip *[]string) Options {
			return Options{MaxSize: 200, Skipped: func(p, r string) { *skip = append(*skip, p+": "+r) },
				Exclude: func(p string) bool { return strings.HasPrefix(p, "skip/") }}
		}
		if err := (Staged{Dir: g.dir, Options: o(&fastSkip)}).Fragments(context.Background(), collect(&fast)); err != nil {
			t.Fatal(err)
		}
		if err := (Staged{Dir: g.dir, Options: o(&gitSkip)}).fragmentsViaGit(context.Background(), collect(&git)); err != nil {
			t.Fatal(err)
		}
		if len(fast) == 0 {
			t.Fatal("nothing staged to compare")
		}
		for _, l := range [][]string{fast, git, fastSkip, gitSkip} {
			slices.Sort(l)
		}
		sameLists(t, "fragments", fast, git)
		sameLists(t, "skipped", fastSkip, gitSkip)
	}

	t.Run("changes", func(t *testing.T) {
		g.write("conf.py", "b = 2\na = 1\nk = \""+hfToken+"\"\n")
		g.write("new.py", "k = \""+hfToken2+"\"\n")
		g.git("mv", "old.py", "renamed.py")
		g.write("renamed.py", "one\ntwo\nthree\nfour\nfive\n")
		os.MkdirAll(filepath.Join(g.dir, "dir"), 0o755)
		g.git("mv", "moved.txt", "dir/moved.txt")
		g.write("copy.py", "a = 1\nb = 2\n") // HEAD's conf.py
		g.write("bin.dat", "\x00"+hfToken)
		g.write("large.txt", strings.Repeat("x", 300))
		g.write("skip/v.py", "k = \""+hfToken3+"\"\n")
		g.write("ünï\ncode.py", "k = \""+hfToken3+"\"\n")
		g.write("ita.py", "k = \""+hfToken3+"\"\n")
		g.git("rm", "-q", "gone.py")
		g.git("add", "-A")
		g.git("reset", "-q", "ita.py")
		g.git("add", "-N", "ita.py")
		compare(t)
	})
	t.Run("merge", func(t *testing.T) {
		g.git("reset", "-q", "--hard")
		g.git("clean", "-qfd")
		g.git("checkout", "-q", "-b", "topic")
		g.write("conf.py", "topic\n")
		g.write("topic.py", "t = \""+hfToken+"\"\n")
		g.write("both.py", "topic side\n")
		c.commit("topic")
		g.git("checkout", "-q", "main")
		g.write("conf.py", "main\n")
		g.write("both.py", "main side\n")
		c.commit("main")
		g.gitMay("merge", "-q", "topic")
		g.write("conf.py", "resolved\nk = \""+hfToken2+"\"\n")
		g.git("add", "conf.py") // both.py stays unmerged
		compare(t)
	})
	t.Run("unborn", func(t *testing.T) {
		g2 := newGitRepo(t)
		g2.write("a.py", "k = \""+hfToken+"\"\n")
		g2.git("add", "a.py")
		g = g2
		compare(t)
	})
}

func TestStagedFilesViaGit(t *testing.T) {
	g := newSHA256Repo(t)
	g.write("a.py", "k = \"hf_notsecret\"\n")
	g.write("b.py", "clean\n")
	g.git("add", "a.py", "b.py")
	g.commit("base")
	// The index holds the token; the work tree does not.
	g.write("a.py", "k = \""+hfToken+"\"\n")
	g.git("add", "a.py")
	g.write("a.py", "clean now\n")
	g.write("untracked.py", "k = \""+hfToken2+"\"\n")
	g.write("empty.py", "")
	g.write("ita.py", "k = \""+hfToken3+"\"\n")
	g.git("add", "empty.py")
	g.git("add", "-N", "ita.py")
	g.write("empty.py", "k = \""+hfToken3+"\"\n")
	t.Chdir(g.dir)
	// An intent-to-add file has no staged content: read from disk, as the
	// fast reader does. A staged empty file is empty whatever the disk holds.
	want(t, found(t, StagedFiles{Paths: []string{"a.py", "b.py", "untracked.py", "empty.py", "ita.py"}}),
		"a.py:1 dKH9", "untracked.py:1 sT0u", "ita.py:1 LzXc")
}
