package gitcli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// repo is a scratch SHA-256 repository made by the real git, or a skip when
// the installed git cannot make one.
func repo(t *testing.T) (dir string, git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir = t.TempDir()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "Ann Author")
	t.Setenv("GIT_AUTHOR_EMAIL", "ann@example.com")
	t.Setenv("GIT_AUTHOR_DATE", "1700000000 +0530")
	t.Setenv("GIT_COMMITTER_NAME", "Cy Committer")
	t.Setenv("GIT_COMMITTER_EMAIL", "cy@example.com")
	t.Setenv("GIT_COMMITTER_DATE", "1700003600 -0200")
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSuffix(string(out), "\n")
	}
	if out, err := exec.Command("git", "init", "-q", "-b", "main", "--object-format=sha256", dir).CombinedOutput(); err != nil {
		t.Skipf("the installed git cannot make SHA-256 repositories: %v: %s", err, out)
	}
	return dir, git
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLogMatchesDiffTree holds Log to git diff-tree: for every commit the
// same changed paths, however odd their names (the ones that would break a
// line- or quote-based reader), and the same header fields as git log.
func TestLogMatchesDiffTree(t *testing.T) {
	dir, git := repo(t)
	odd := []string{":colon.txt", "\x01ctl.txt", "new\nline.txt", "tab\tname.txt", " lead.txt", "ünï côde/fïle.txt", `back\slash"quote.txt`}
	write(t, dir, "plain.txt", "a\n")
	git("add", "-A")
	git("commit", "-q", "-m", "root")
	for i, name := range odd {
		write(t, dir, name, strings.Repeat("x\n", i+1))
	}
	git("add", "-A")
	git("commit", "-q", "-m", "odd names")
	git("rm", "-q", "plain.txt")
	git("commit", "-q", "-m", "delete")
	git("commit", "-q", "--allow-empty", "-m", "empty")

	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format != "sha256" {
		t.Fatalf("format %q", r.Format)
	}
	var order []string
	err = r.Log(context.Background(), []string{"HEAD"}, func(c *Commit, changes []Change) error {
		order = append(order, c.ID)
		var got []string
		for _, ch := range changes {
			got = append(got, ch.Path)
		}
		out := git("diff-tree", "-r", "-z", "--no-renames", "--name-only", "--root", "--no-commit-id", c.ID)
		want := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
		if out == "" {
			want = nil
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("commit %s: paths %q, git diff-tree says %q", c.ID, got, want)
		}
		header := strings.Join([]string{c.Tree, strings.Join(c.Parents, " "), c.Author, c.Email,
			c.When.Format(time.RFC3339), strconv.FormatInt(c.Committed.Unix(), 10)}, "|")
		wantHeader := git("log", "-1", "--date=iso-strict", "--format=%T|%P|%an|%ae|%ad|%ct", c.ID)
		if header != wantHeader {
			t.Errorf("commit %s: header %q, git log says %q", c.ID, header, wantHeader)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Split(git("rev-list", "--date-order", "--reverse", "HEAD"), "\n"); !slices.Equal(order, want) {
		t.Errorf("order %q, git rev-list --date-order --reverse says %q", order, want)
	}
	if len(order) != 4 || len(order[0]) != 64 {
		t.Errorf("commits %q, want 4 SHA-256 ids", order)
	}
}

// TestLogMerges: a merge's changes are git's combined diff, with every
// parent's side.
func TestLogMerges(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "f.txt", "base\n")
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "topic")
	write(t, dir, "f.txt", "topic\n")
	write(t, dir, "t.txt", "topic only\n")
	git("commit", "-q", "-am", "topic")
	git("add", "-A")
	git("commit", "-q", "-m", "t")
	git("checkout", "-q", "main")
	write(t, dir, "f.txt", "main\n")
	git("commit", "-q", "-am", "main")
	exec.Command("git", "-C", dir, "merge", "-q", "topic").Run()
	write(t, dir, "f.txt", "resolved\n")
	git("add", "f.txt")
	git("commit", "-q", "--no-edit")

	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	found := false
	err = r.Log(context.Background(), []string{"HEAD", "--not", "HEAD^1"}, func(c *Commit, changes []Change) error {
		if len(c.Parents) != 2 {
			return nil
		}
		found = true
		// t.txt equals topic's: not in a combined diff. f.txt differs from both.
		if len(changes) != 1 || changes[0].Path != "f.txt" || len(changes[0].From) != 2 {
			t.Fatalf("merge changes %+v, want f.txt against both parents", changes)
		}
		ch := changes[0]
		for i, p := range c.Parents {
			if want := git("rev-parse", p+":f.txt"); ch.From[i].ID != want || ch.From[i].Mode != 0o100644 {
				t.Errorf("parent %d side %+v, want %s", i, ch.From[i], want)
			}
		}
		if want := git("rev-parse", "HEAD:f.txt"); ch.To.ID != want {
			t.Errorf("result %s, want %s", ch.To.ID, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("no merge commit seen")
	}
}

// TestBlobStaysInStep reads blobs, a blob over the limit, a tree and a
// missing object in turn: each answer belongs to its question.
func TestBlobStaysInStep(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "small.txt", "small\n")
	write(t, dir, "big.txt", strings.Repeat("big\n", 1000))
	git("add", "-A")
	git("commit", "-q", "-m", "x")
	small, big, tree := git("rev-parse", "HEAD:small.txt"), git("rev-parse", "HEAD:big.txt"), git("rev-parse", "HEAD^{tree}")
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 2 {
		if b, tooLarge, err := r.Blob(big, 100); err != nil || !tooLarge || b != nil {
			t.Errorf("big blob over the limit: %q %v %v", b, tooLarge, err)
		}
		if _, _, err := r.Blob(tree, 0); err == nil || !strings.Contains(err.Error(), "is a tree") {
			t.Errorf("tree read as a blob: %v", err)
		}
		if _, _, err := r.Blob(strings.Repeat("ab", 32), 0); !errors.Is(err, gitrepo.ErrMissingObject) {
			t.Errorf("missing object: %v", err)
		}
		if b, _, err := r.Blob(small, 100); err != nil || string(b) != "small\n" {
			t.Errorf("small blob: %q %v", b, err)
		}
		if n, err := r.Size(big); err != nil || n != 4000 {
			t.Errorf("size %d %v, want 4000", n, err)
		}
	}
	if b, _, err := r.Blob("--batch-all-objects", 0); err == nil {
		t.Errorf("an option as an object id was read: %q", b)
	}
}

// TestOpenRelativeGitDir: a relative GIT_DIR (as hooks may see) is relative
// to our working directory, not to where git runs.
func TestOpenRelativeGitDir(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "a.txt", "a\n")
	git("add", "-A")
	git("commit", "-q", "-m", "a")
	t.Chdir(filepath.Dir(dir))
	t.Setenv("GIT_DIR", filepath.Join(filepath.Base(dir), ".git"))
	t.Setenv("GIT_WORK_TREE", filepath.Base(dir))
	r, err := Open(context.Background(), filepath.Join(dir, "."))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if real, _ := filepath.EvalSymlinks(filepath.Join(dir, ".git")); r.GitDir != real && r.GitDir != filepath.Join(dir, ".git") {
		t.Errorf("git dir %q, want %q", r.GitDir, real)
	}
	if _, ok, err := r.Head(context.Background()); !ok || err != nil {
		t.Errorf("HEAD: %v %v", ok, err)
	}
}

func TestResolveAndHead(t *testing.T) {
	dir, git := repo(t)
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	if _, ok, err := r.Head(ctx); ok || err != nil {
		t.Errorf("unborn HEAD: ok %v err %v", ok, err)
	}
	write(t, dir, "a.txt", "a\n")
	git("add", "-A")
	git("commit", "-q", "-m", "a")
	git("tag", "-a", "-m", "t1", "t1")
	git("tag", "-a", "-m", "t2", "t2", "t1") // a tag of a tag
	head := git("rev-parse", "HEAD")
	for _, rev := range []string{"HEAD", "main", "t2", head[:12]} {
		if id, err := r.Resolve(ctx, rev); err != nil || id != head {
			t.Errorf("Resolve(%q) = %q, %v; want %s", rev, id, err, head)
		}
	}
	for _, rev := range []string{"--all", "nosuch", "HEAD^{tree}"} {
		if id, err := r.Resolve(ctx, rev); err == nil {
			t.Errorf("Resolve(%q) = %q, want an error", rev, id)
		}
	}
	if !r.HasCommit(ctx, head) || r.HasCommit(ctx, strings.Repeat("e", 64)) {
		t.Error("HasCommit")
	}
	_, openErr := gitrepo.Open(dir, gitrepo.Options{})
	if !UseGit(openErr) {
		t.Errorf("gitrepo.Open of a SHA-256 repository: %v; want an error handing it to git", openErr)
	}
	if UseGit(nil) || UseGit(errors.New("not a repository")) {
		t.Error("UseGit took an error that is not ErrUseGit")
	}
}

func TestParseRaw(t *testing.T) {
	z40, a, b, c := strings.Repeat("0", 40), strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	ch, err := parseRaw(":000000 100755 "+z40+" "+a+" A", "p")
	if err != nil || ch.From[0].Mode != 0 || ch.To != (Entry{0o100755, a}) || !ch.To.IsBlob() {
		t.Errorf("added: %+v %v", ch, err)
	}
	ch, err = parseRaw("::100644 120000 160000 "+a+" "+b+" "+c+" MM", "p")
	if err != nil || len(ch.From) != 2 || ch.From[1] != (Entry{0o120000, b}) || ch.From[1].IsBlob() || ch.To != (Entry{0o160000, c}) || ch.To.IsBlob() {
		t.Errorf("combined: %+v %v", ch, err)
	}
	for _, bad := range []string{":100644 " + a + " M", "::100644 100644 " + a + " " + b + " M", ":1x0644 100644 " + a + " " + b + " M"} {
		if _, err := parseRaw(bad, "p"); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestRawDate(t *testing.T) {
	d, err := rawDate("1700000000 -0130")
	if _, off := d.Zone(); err != nil || d.Unix() != 1700000000 || off != -90*60 {
		t.Errorf("%v %v", d, err)
	}
	if _, err := rawDate("soon"); err == nil {
		t.Error("bad date parsed")
	}
}

// TestLogMissingTree: a tree git cannot read stops the log with
// ErrMissingObject, never a shorter history.
func TestLogMissingTree(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "a/b.txt", "b\n")
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	write(t, dir, "a/b.txt", "c\n")
	git("commit", "-q", "-am", "two")
	tree := git("rev-parse", "HEAD~1:a")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", tree[:2], tree[2:])); err != nil {
		t.Fatal(err)
	}
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.Log(context.Background(), []string{"HEAD"}, func(*Commit, []Change) error { return nil })
	if !errors.Is(err, gitrepo.ErrMissingObject) {
		t.Errorf("log over a missing tree: %v, want ErrMissingObject", err)
	}
}

// TestHeadOnMissingCommit: a branch pointing at an object the repository
// lacks is an error, not an unborn branch with nothing to scan.
func TestHeadOnMissingCommit(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "a.txt", "a\n")
	git("add", "-A")
	git("commit", "-q", "-m", "a")
	if err := os.WriteFile(filepath.Join(dir, ".git", "refs", "heads", "main"), []byte(strings.Repeat("ab", 32)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, ok, err := r.Head(context.Background()); ok || !errors.Is(err, gitrepo.ErrMissingObject) {
		t.Errorf("HEAD on a missing commit: ok %v err %v, want ErrMissingObject", ok, err)
	}
}
