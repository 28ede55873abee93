package push

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
