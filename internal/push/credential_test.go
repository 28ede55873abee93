package push

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// helperRepo is a repository whose credential helper is git's own store,
// in a file of the test's, with nothing from the machine's configuration.
func helperRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("XDG_CONFIG_HOME", dir)
	git(t, dir, "init", "-q")
	return dir
}

func TestHelperTokenIsWhatTheHelperHolds(t *testing.T) {
	dir := helperRepo(t)
	ctx := context.Background()
	if got := HelperToken(ctx, dir, "http://127.0.0.1:4321/alice/llama-ft"); got != "" {
		t.Fatalf("no helper configured, got a token of %d bytes", len(got))
	}
	git(t, dir, "config", "credential.helper", "store --file="+filepath.Join(dir, "creds"))
	approve := exec.Command("git", "credential", "approve")
	approve.Dir = dir
	approve.Stdin = strings.NewReader("url=http://127.0.0.1:4321/alice/llama-ft\nusername=alice\npassword=hf_fromthehelper\n\n")
	if out, err := approve.CombinedOutput(); err != nil {
		t.Fatalf("git credential approve: %v\n%s", err, out)
	}
	if got := HelperToken(ctx, dir, "http://127.0.0.1:4321/alice/llama-ft"); got != "hf_fromthehelper" {
		t.Errorf("got %q, want the stored token", got)
	}
	if got := HelperToken(ctx, dir, "http://127.0.0.1:9999/alice/llama-ft"); got != "" {
		t.Errorf("another host got the token")
	}
	if got := HelperToken(ctx, dir, "git@hf.co:alice/llama-ft"); got != "" {
		t.Errorf("an ssh remote got a token")
	}
}

func TestHelperTokenNeverWaitsOnAHelper(t *testing.T) {
	dir := helperRepo(t)
	git(t, dir, "config", "credential.helper", "!sleep 30; echo password=late")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if got := HelperToken(ctx, dir, "https://huggingface.co/alice/llama-ft"); got != "" {
		t.Errorf("got %q from a helper that had not answered", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("HelperToken waited %v on a hanging helper", d)
	}
}
