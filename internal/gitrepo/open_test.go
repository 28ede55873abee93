package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
}

// write creates a file (and its directories) under dir.
func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, dir string) *Repo {
	t.Helper()
	r, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// stagedRaw prints Staged's changes as `git diff --cached --raw` does.
func stagedRaw(t *testing.T, r *Repo) string {
	t.Helper()
	changes, _, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range changes {
		lines = append(lines, fmt.Sprintf("%06o %06o %s %s\t%s", c.From.Mode, c.To.Mode, c.From.Hash, c.To.Hash, c.Path))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// gitStagedRaw is the reference: `git diff --cached --raw`, status letters
// dropped.
func gitStagedRaw(t *testing.T, dir string, env ...string) string {
	t.Helper()
	var lines []string
	for line := range strings.Lines(gitWith(t, dir, env, "diff", "--cached", "--raw", "--no-renames", "--no-abbrev")) {
		meta, path, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		f := strings.Fields(strings.TrimPrefix(meta, ":"))
		lines = append(lines, fmt.Sprintf("%s %s %s %s\t%s", f[0], f[1], f[2], f[3], path))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// gitWith is runGit with variables added to git's otherwise hermetic
// environment (the GIT_* variables a test means git to see).
func gitWith(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := gittest.Command(t, dir, args...)
	cmd.Env = append(cmd.Env, env...)
	return gittest.Output(t, cmd)
}

// sameStaged compares our staged changes with git's, git seeing env.
func sameStaged(t *testing.T, r *Repo, dir string, env ...string) {
	t.Helper()
	got, want := stagedRaw(t, r), gitStagedRaw(t, dir, env...)
	if want == "" {
		t.Fatal("test builds nothing staged")
	}
	if got != want {
		t.Errorf("staged:\n%s\ngit diff --cached:\n%s", got, want)
	}
}

// TestOpenDotfiles is a work tree whose repository lives elsewhere
// (git --git-dir=~/.dotfiles --work-tree=~), inside another repository:
// GIT_DIR and GIT_WORK_TREE choose it, as they choose it for git.
func TestOpenDotfiles(t *testing.T) {
	needGit(t)
	home := t.TempDir()
	runGit(t, home, "init", "-q")
	write(t, home, "outer.txt", "outer")
	runGit(t, home, "add", "outer.txt")
	dot := filepath.Join(home, ".dotfiles")
	runGit(t, home, "init", "-q", "--bare", dot)
	write(t, home, ".bashrc", "export A=1\n")
	runGit(t, home, "--git-dir="+dot, "--work-tree="+home, "add", ".bashrc")

	t.Chdir(home)
	t.Setenv("GIT_DIR", ".dotfiles") // relative to the current directory
	t.Setenv("GIT_WORK_TREE", home)
	r := open(t, ".")
	if r.Root != home || r.GitDir != dot {
		t.Errorf("root %q gitdir %q, want %q %q", r.Root, r.GitDir, home, dot)
	}
	sameStaged(t, r, home, "GIT_DIR=.dotfiles", "GIT_WORK_TREE="+home)

	// Without GIT_WORK_TREE, the bare repository has no work tree.
	os.Unsetenv("GIT_WORK_TREE")
	if r := open(t, "."); r.Root != "" {
		t.Errorf("bare GIT_DIR: root %q", r.Root)
	}
	// core.worktree (relative to the repository) does what GIT_WORK_TREE does.
	runGit(t, home, "--git-dir="+dot, "config", "core.worktree", "..")
	runGit(t, home, "--git-dir="+dot, "config", "core.bare", "false")
	r = open(t, ".")
	if r.Root != home {
		t.Errorf("core.worktree: root %q, want %q", r.Root, home)
	}
	sameStaged(t, r, home, "GIT_DIR=.dotfiles")
}

// TestOpenIndexFile reads the index GIT_INDEX_FILE names, as hooks of
// `git commit -a` see it.
func TestOpenIndexFile(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	write(t, dir, "a.txt", "one\n")
	runGit(t, dir, "add", "a.txt")
	runGit(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "a.txt", "two\n")
	tmp := filepath.Join(t.TempDir(), "index.tmp")
	t.Setenv("GIT_INDEX_FILE", tmp)
	gitWith(t, dir, []string{"GIT_INDEX_FILE=" + tmp}, "read-tree", "HEAD")
	gitWith(t, dir, []string{"GIT_INDEX_FILE=" + tmp}, "add", "a.txt")
	sameStaged(t, open(t, dir), dir, "GIT_INDEX_FILE="+tmp)
	os.Unsetenv("GIT_INDEX_FILE")
	if s := stagedRaw(t, open(t, dir)); s != "" {
		t.Errorf("the real index has nothing staged, got %s", s)
	}
}

// TestOpenCommonDir is GIT_DIR naming a linked worktree's directory, with
// GIT_COMMON_DIR, as git exports them to hooks.
func TestOpenCommonDir(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	main := filepath.Join(dir, "main")
	runGit(t, dir, "init", "-q", main)
	write(t, main, "a.txt", "a")
	runGit(t, main, "add", "a.txt")
	runGit(t, main, "commit", "-q", "-m", "one")
	runGit(t, main, "worktree", "add", "-q", "-b", "side", "../linked")
	linked := filepath.Join(dir, "linked")
	write(t, linked, "b.txt", "b")
	runGit(t, linked, "add", "b.txt")
	wtDir := filepath.Join(main, ".git", "worktrees", "linked")
	t.Setenv("GIT_DIR", wtDir)
	t.Setenv("GIT_COMMON_DIR", filepath.Join(main, ".git"))
	t.Setenv("GIT_WORK_TREE", linked)
	sameStaged(t, open(t, dir), linked, "GIT_DIR="+wtDir, "GIT_COMMON_DIR="+filepath.Join(main, ".git"), "GIT_WORK_TREE="+linked)
}

// TestExtensions accepts the extensions git writes in ordinary use, hands
// SHA-256 repositories to git, and refuses one it does not know, as git
// refuses it.
func TestExtensions(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	write(t, dir, "a/x.txt", "x")
	write(t, dir, "b/y.txt", "y")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "one")
	// Any sparse-checkout writes extensions.worktreeConfig (camel case).
	runGit(t, dir, "sparse-checkout", "set", "a")
	if !strings.Contains(runGit(t, dir, "config", "--list"), "extensions.worktreeconfig=true") {
		t.Fatal("sparse-checkout did not set extensions.worktreeConfig")
	}
	for _, kv := range [][2]string{
		{"core.repositoryFormatVersion", "1"},
		{"extensions.preciousObjects", "true"},
		{"extensions.partialClone", "origin"},
		{"extensions.noop", "true"},
		{"extensions.objectFormat", "sha1"},
	} {
		runGit(t, dir, "config", kv[0], kv[1])
	}
	runGit(t, dir, "rev-parse", "HEAD") // git accepts them
	if _, ok, err := open(t, dir).Head(); !ok || err != nil {
		t.Errorf("Head: %v %v", ok, err)
	}

	// config.worktree is read too: core.worktree set only there.
	other := t.TempDir()
	runGit(t, dir, "config", "--worktree", "core.worktree", other)
	if r := open(t, dir); r.Root != other {
		t.Errorf("config.worktree core.worktree: root %q, want %q", r.Root, other)
	}
	runGit(t, dir, "config", "--worktree", "--unset", "core.worktree")

	// git 2.45 and later accept this one too.
	config := filepath.Join(dir, ".git", "config")
	runGit(t, t.TempDir(), "config", "-f", config, "extensions.refStorage", "files")
	if _, ok, err := open(t, dir).Head(); !ok || err != nil {
		t.Errorf("refStorage = files: Head: %v %v", ok, err)
	}

	runGit(t, t.TempDir(), "config", "-f", config, "extensions.fancyFeature", "true")
	if out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").CombinedOutput(); err == nil {
		t.Fatalf("git accepts an unknown extension: %s", out)
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrNotRepository) || !strings.Contains(err.Error(), "fancyfeature") {
		t.Errorf("unknown extension: %v", err)
	}

	sha := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "--object-format=sha256", sha).CombinedOutput(); err != nil {
		t.Skipf("git cannot make a SHA-256 repository: %s", out)
	}
	_, err = Open(sha, Options{})
	if !errors.Is(err, ErrUseGit) || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("sha256: %v", err)
	}
}

// gitAtLeast reports whether the installed git is at least major.minor.
func gitAtLeast(t *testing.T, major, minor int) bool {
	out := strings.TrimSpace(runGit(t, t.TempDir(), "--version"))
	f := strings.Fields(out)
	v := strings.Split(f[len(f)-1], ".")
	if len(v) < 2 {
		return false
	}
	ma, _ := strconv.Atoi(v[0])
	mi, _ := strconv.Atoi(v[1])
	return ma > major || ma == major && mi >= minor
}

// TestReftable reads refs of a reftable repository through git.
func TestReftable(t *testing.T) {
	needGit(t)
	if !gitAtLeast(t, 2, 45) {
		t.Skip("reftable needs git 2.45 or later")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "--ref-format=reftable", dir).CombinedOutput(); err != nil {
		t.Skipf("git cannot make a reftable repository: %s", out)
	}
	write(t, dir, "a.txt", "a")
	runGit(t, dir, "add", "a.txt")
	runGit(t, dir, "commit", "-q", "-m", "one")
	runGit(t, dir, "tag", "-a", "-m", "t", "v1")
	runGit(t, dir, "commit", "-q", "--allow-empty", "-m", "two")
	r := open(t, dir)
	compareRevParse(t, r, dir, "HEAD", "v1", "main", "HEAD~1")
	compareAll(t, r, dir)
}

// compareRevParse resolves revisions and compares with git's answer.
func compareRevParse(t *testing.T, r *Repo, dir string, revs ...string) {
	t.Helper()
	for _, rev := range revs {
		want := strings.TrimSpace(runGit(t, dir, "rev-parse", "--verify", rev+"^{commit}"))
		h, err := r.Resolve(rev)
		if err != nil || h.String() != want {
			t.Errorf("Resolve(%q) = %s, %v; git: %s", rev, h, err, want)
		}
	}
}

// compareAll compares the commits reachable from Refs("refs/") with
// `git rev-list --all`.
func compareAll(t *testing.T, r *Repo, dir string) {
	t.Helper()
	refs, err := r.Refs("refs/")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := r.Commits(refs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist.Order {
		got = append(got, h.String())
	}
	slices.Sort(got)
	want := strings.Fields(runGit(t, dir, "rev-list", "--all"))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("--all: %d commits, git rev-list --all: %d\n%v\n%v", len(got), len(want), got, want)
	}
}

// TestRefsAll builds every kind of ref `git rev-list --all` starts from:
// branches, nested annotated tags, a tag of a tree, the stash, notes,
// packed and loose refs, a symbolic ref, another worktree's detached HEAD
// and its private refs (which git leaves out), and compares.
func TestRefsAll(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	commit := func(msg string) {
		write(t, dir, "f.txt", msg)
		runGit(t, dir, "add", "f.txt")
		runGit(t, dir, "commit", "-q", "-m", msg)
	}
	commit("one")
	commit("two")
	runGit(t, dir, "checkout", "-q", "-b", "side")
	commit("tagged-only")
	runGit(t, dir, "tag", "-a", "-m", "inner", "inner")
	runGit(t, dir, "tag", "-a", "-m", "outer", "outer", "inner")
	runGit(t, dir, "tag", "-a", "-m", "outermost", "outermost", "outer")
	runGit(t, dir, "checkout", "-q", "main")
	runGit(t, dir, "branch", "-D", "side")
	runGit(t, dir, "tag", "-a", "-m", "tree", "treetag", "HEAD^{tree}")
	runGit(t, dir, "notes", "add", "-m", "a note", "HEAD")
	write(t, dir, "f.txt", "stashed")
	runGit(t, dir, "stash", "-q")
	runGit(t, dir, "pack-refs", "--all")
	commit("three") // loose again
	runGit(t, dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/heads/main")
	runGit(t, dir, "worktree", "add", "-q", "--detach", "../wt-"+filepath.Base(dir), "HEAD~1")
	wt := filepath.Join(filepath.Dir(dir), "wt-"+filepath.Base(dir))
	t.Cleanup(func() { os.RemoveAll(wt) })
	write(t, wt, "g.txt", "detached")
	runGit(t, wt, "add", "g.txt")
	runGit(t, wt, "commit", "-q", "-m", "detached in a worktree")
	tree := strings.TrimSpace(runGit(t, wt, "rev-parse", "HEAD^{tree}"))
	private := strings.TrimSpace(runGit(t, wt, "commit-tree", "-m", "private", tree))
	runGit(t, wt, "update-ref", "refs/worktree/private", private)
	runGit(t, wt, "update-ref", "refs/bisect/bad", private)

	compareAll(t, open(t, dir), dir)
	compareAll(t, open(t, wt), wt) // its private refs count there
	compareRevParse(t, open(t, dir), dir, "outer", "outermost", "outermost~1", "tags/outer^{}", "main^", "HEAD~2",
		"main~0", "@", "origin", "refs/stash", "stash^2", runGit(t, dir, "rev-parse", "--short=7", "HEAD")[:7])
	for _, bad := range []string{"nosuch", "treetag", "HEAD~9"} {
		if h, err := open(t, dir).Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %s, want an error", bad, h)
		}
	}
}

// TestRefsMissingObject keeps a ref to a missing commit, so the walk
// reports it rather than passing over it (git rev-list --all fails).
func TestRefsMissingObject(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	runGit(t, dir, "commit", "-q", "--allow-empty", "-m", "one")
	gone := strings.Repeat("ab", 20)
	write(t, dir, ".git/refs/heads/gone", gone+"\n")
	r := open(t, dir)
	refs, err := r.Refs("refs/")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := r.Commits(refs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Missing) != 1 || !errors.Is(hist.Missing[0], ErrMissingObject) {
		t.Errorf("missing: %v", hist.Missing)
	}
}

// TestUnbornHead: a bare repository whose HEAD names a branch that does
// not exist has no history, and says so as `git log` does; a fresh
// repository's index is compared with the empty tree.
func TestUnbornHead(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q", "--bare")
	runGit(t, dir, "symbolic-ref", "HEAD", "refs/heads/nosuch")
	if out, err := exec.Command("git", "-C", dir, "log").CombinedOutput(); err == nil {
		t.Fatalf("git log succeeds: %s", out)
	}
	r := open(t, dir)
	_, err := r.HeadCommit()
	if !errors.Is(err, ErrUnbornHead) || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("HeadCommit: %v", err)
	}
	if _, ok, err := r.Head(); ok || err != nil {
		t.Errorf("Head: %v %v", ok, err)
	}

	fresh := t.TempDir()
	runGit(t, fresh, "init", "-q")
	write(t, fresh, "a.txt", "a")
	write(t, fresh, "d/b.txt", "b")
	runGit(t, fresh, "add", "-A")
	sameStaged(t, open(t, fresh), fresh)
}
