package push

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/token"
)

// git runs the real git, hermetically, and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return strings.TrimSpace(gittest.Run(t, dir, args...))
}

// TestGuardRunsEveryCheck pushes two commits (a secret, then an oversized
// file) to a Hub remote with a read-only token: all three checks report,
// side by side (run with -race).
func TestGuardRunsEveryCheck(t *testing.T) {
	gittest.Require(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "base")
	base := git(t, dir, "rev-parse", "HEAD")
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", name)
		git(t, dir, "commit", "-q", "-m", name)
	}
	write("train.py", []byte("HF_TOKEN = \""+hubtest.TokenWrite+"\"\n"))
	write("weights.bin", make([]byte, 2<<20))
	head := git(t, dir, "rev-parse", "HEAD")

	fake, err := hubtest.New("ok")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	engine, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HF_TOKEN": hubtest.TokenRead, "HF_ENDPOINT": fake.URL}
	g := &Guard{
		Dir: dir, Remote: "hf", URL: "https://huggingface.co/alice/llama-ft",
		Engine: engine, MaxFileSize: 1 << 20,
		Live: token.Live{HTTP: &http.Client{}, Retry: retry.Policy{MaxAttempts: 1},
			Env: token.Env{Getenv: func(k string) string { return env[k] }, Home: dir}},
	}
	rep, err := g.Check(context.Background(), context.Background(), []Update{
		{LocalRef: "refs/heads/main", LocalSHA: head, RemoteRef: "refs/heads/main", RemoteSHA: base},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Commits != 2 || rep.Refs != 1 {
		t.Errorf("commits %d refs %d, want 2 and 1", rep.Commits, rep.Refs)
	}
	if len(rep.Secrets) != 1 || rep.Secrets[0].File != "train.py" || strings.Contains(rep.Secrets[0].Masked, hubtest.TokenWrite) {
		t.Errorf("secrets %+v", rep.Secrets)
	}
	if len(rep.LargeFiles) != 1 || rep.LargeFiles[0].Path != "weights.bin" || rep.LargeFiles[0].Size != 2<<20 {
		t.Errorf("large files %+v", rep.LargeFiles)
	}
	if rep.Hub == nil || rep.Hub.Status != token.Insufficient || !rep.Hub.Blocking(false) {
		t.Errorf("hub %+v", rep.Hub)
	}
}

// TestGuardStopsWhenCancelled: a cancelled push check (Ctrl-C) returns the
// context's error instead of a report, from the secret scan and from the
// large-file walk alike.
func TestGuardStopsWhenCancelled(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "base")
	base := git(t, dir, "rev-parse", "HEAD")
	for i := range 3 {
		name := filepath.Join(dir, "f.txt")
		if err := os.WriteFile(name, []byte(strings.Repeat("x", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", "f.txt")
		git(t, dir, "commit", "-q", "-m", "f")
	}
	head := git(t, dir, "rev-parse", "HEAD")
	engine, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := &Guard{Dir: dir, Engine: engine, MaxFileSize: 1 << 20}
	rep, err := g.Check(ctx, ctx, []Update{{LocalRef: "refs/heads/main", LocalSHA: head, RemoteRef: "refs/heads/main", RemoteSHA: base}})
	if err == nil || ctx.Err() == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Errorf("report %+v, error %v: want the cancellation", rep, err)
	}

	r, err := gitrepo.Open(dir, gitrepo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c, err := r.Commit(mustHash(head))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LargeFiles(ctx, r, []*gitrepo.Commit{c}, 1); err != context.Canceled {
		t.Errorf("LargeFiles on a cancelled context: %v, want context.Canceled", err)
	}
}
