package push

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// outgoing builds a repository whose push brings a secret, large files (one
// twice, one only through a merged branch), a deletion and a new branch,
// over a base the remote already has. It returns the updates of the push.
func outgoing(t *testing.T, dir string, format string) []Update {
	t.Helper()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", "--object-format="+format, dir).CombinedOutput(); err != nil {
		t.Skipf("the installed git cannot make %s repositories: %v: %s", format, err, out)
	}
	n := 0
	commit := func(msg string) {
		n++
		t.Setenv("GIT_AUTHOR_DATE", fmt.Sprintf("%d +0000", 1700000000+n*60))
		t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("%d +0000", 1700000000+n*60))
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "--allow-empty", "-m", msg)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	big := func(seed byte, size int) []byte {
		b := make([]byte, size)
		for i := range b {
			b[i] = seed + byte(i%7)
		}
		return b
	}
	write("old.bin", big(1, 3<<20))
	commit("base")
	base := git(t, dir, "rev-parse", "HEAD")
	git(t, dir, "update-ref", "refs/remotes/origin/main", base)
	write("train.py", []byte("HF_TOKEN = \""+hubtest.TokenWrite+"\"\n"))
	write("weights.bin", big(2, 2<<20))
	commit("secret and weights")
	write("copy.bin", big(2, 2<<20)) // the same blob again: reported once
	os.Remove(filepath.Join(dir, "old.bin"))
	commit("copy and delete")
	git(t, dir, "checkout", "-q", "-b", "topic", base)
	write("topic.bin", big(3, 2<<20))
	commit("topic weights")
	git(t, dir, "checkout", "-q", "main")
	t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("%d +0000", 1700000000+100*60))
	git(t, dir, "merge", "-q", "--no-edit", "topic")
	git(t, dir, "checkout", "-q", "-b", "feature")
	write("model.safetensors", big(4, 5<<20))
	commit("feature weights")
	zero := strings.Repeat("0", len(base))
	return []Update{
		{LocalRef: "refs/heads/main", LocalSHA: git(t, dir, "rev-parse", "main"), RemoteRef: "refs/heads/main", RemoteSHA: base},
		{LocalRef: "refs/heads/feature", LocalSHA: git(t, dir, "rev-parse", "feature"), RemoteRef: "refs/heads/feature", RemoteSHA: zero},
		{LocalRef: "(delete)", LocalSHA: zero, RemoteRef: "refs/heads/old", RemoteSHA: base},
		{LocalRef: "refs/heads/x", LocalSHA: base, RemoteRef: "refs/heads/x", RemoteSHA: strings.Repeat("e", len(base))},
	}
}

// summary is a report in comparable form.
func summary(rep *Report) []string {
	out := []string{fmt.Sprintf("refs %d commits %d", rep.Refs, rep.Commits)}
	for _, f := range rep.Secrets {
		out = append(out, fmt.Sprintf("secret %s:%d %s %s", f.File, f.Line, f.RuleID, f.Commit))
	}
	for _, f := range rep.LargeFiles {
		out = append(out, fmt.Sprintf("large %s %d %s", f.Path, f.Size, f.Commit))
	}
	for _, w := range rep.Warnings {
		out = append(out, "warning "+w)
	}
	slices.Sort(out)
	return out
}

func newGuard(t *testing.T, dir string) *Guard {
	engine, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &Guard{Dir: dir, Remote: "origin", URL: "https://example.com/a/b.git", Engine: engine, MaxFileSize: 1 << 20, SkipHub: true}
}

// TestCheckViaGitMatchesFastReader: on a SHA-1 repository the git-plumbing
// check reports what the fast reader's does.
func TestCheckViaGitMatchesFastReader(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	updates := outgoing(t, dir, "sha1")
	g := newGuard(t, dir)
	ctx := context.Background()
	fast, err := g.Check(ctx, ctx, updates)
	if err != nil {
		t.Fatal(err)
	}
	viaGit, err := g.checkViaGit(ctx, ctx, updates)
	if err != nil {
		t.Fatal(err)
	}
	f, p := summary(fast), summary(viaGit)
	if len(fast.LargeFiles) != 3 || len(fast.Secrets) != 1 {
		t.Fatalf("the fast reader found %v: want 1 secret and 3 large files to compare", f)
	}
	if !slices.Equal(f, p) {
		t.Errorf("reports differ:\nfast reader   %q\ngit plumbing  %q", f, p)
	}
}

// TestCheckSHA256 runs Check on a SHA-256 repository (handed to git) and
// holds it to git's own answers: the outgoing commit count from git
// rev-list and the commit that added each large file from git log.
func TestCheckSHA256(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	updates := outgoing(t, dir, "sha256")
	ctx := context.Background()
	rep, err := newGuard(t, dir).Check(ctx, ctx, updates)
	if err != nil {
		t.Fatal(err)
	}
	count := git(t, dir, "rev-list", "--count", "main", "feature", "--not", "origin/main")
	if fmt.Sprint(rep.Commits) != count || rep.Refs != 3 {
		t.Errorf("commits %d refs %d, want %s (git rev-list) and 3", rep.Commits, rep.Refs, count)
	}
	if len(rep.Secrets) != 1 || len(rep.Secrets[0].Commit) != 64 {
		t.Errorf("secrets %+v, want one with a SHA-256 commit id", rep.Secrets)
	}
	var paths []string
	for _, f := range rep.LargeFiles {
		paths = append(paths, f.Path)
		added := git(t, dir, "log", "--all", "--reverse", "--diff-filter=A", "--format=%H", "--", f.Path)
		if first, _, _ := strings.Cut(added, "\n"); f.Commit != first {
			t.Errorf("%s reported at %s, git log says it was added at %s", f.Path, f.Commit, first)
		}
	}
	if want := []string{"weights.bin", "topic.bin", "model.safetensors"}; !slices.Equal(paths, want) {
		t.Errorf("large files %q, want %q", paths, want)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "eeeeeeeeeeee") {
		t.Errorf("warnings %q, want one about the unknown remote commit", rep.Warnings)
	}
}
