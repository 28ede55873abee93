package tokenage

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// hermetic gives the test its own home, state and configuration, and no
// credentials but the ones it sets.
func hermetic(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for _, v := range []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "MODAL_TOKEN_ID",
		"MODAL_TOKEN_SECRET", "MODAL_CONFIG_PATH", "MODAL_PROFILE", "GH_TOKEN", "GITHUB_TOKEN", "WANDB_API_KEY",
		"WANDB_BASE_URL", "NETRC", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"} {
		t.Setenv(v, "")
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Chdir(home)
	return home
}

const hfToken = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567"

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestWarnInProcess(t *testing.T) {
	hermetic(t)
	t.Setenv("HF_TOKEN", hfToken)
	if code, out, errs := run(t, "warn"); code != 0 || out != "" || errs != "" {
		t.Fatalf("fresh token: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if err := clock.SetForTest("+91d"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { clock.SetForTest("") })
	code, out, errs := run(t, "warn")
	if code != 0 || out != "" {
		t.Fatalf("old token: exit %d, stdout %q", code, out)
	}
	want := "tokenage: warning: HF_TOKEN (hf_…4567, env) is 91 days old — rotate it: https://huggingface.co/settings/tokens, then update HF_TOKEN\n"
	if errs != want {
		t.Errorf("stderr\n got %q\nwant %q", errs, want)
	}
	if code, _, _ := run(t, "check"); code != 1 {
		t.Errorf("check on a 91-day-old token: exit %d, want 1", code)
	}
	if code, _, _ := run(t, "check", "--max-age", "100d"); code != 0 {
		t.Errorf("check --max-age 100d: exit %d, want 0", code)
	}
	data, err := os.ReadFile(filepath.Join(os.Getenv("XDG_STATE_HOME"), "tokenguard", ledger.FileName))
	if err != nil {
		t.Fatal(err)
	}
	// "…4567", not "4567": the digits alone occur in timestamps' fractions.
	if strings.Contains(string(data), hfToken) || strings.Contains(string(data), "…4567") {
		t.Errorf("the ledger holds the value or its masked form:\n%s", data)
	}
}

func TestWarnNeverFails(t *testing.T) {
	hermetic(t)
	if code, _, errs := run(t, "warn", "--no-such-flag"); code != 0 || errs == "" {
		t.Errorf("bad flag: exit %d, stderr %q; want 0 and a message", code, errs)
	}
	if code, _, _ := run(t, "status", "--no-such-flag"); code != 2 {
		t.Errorf("status with a bad flag: exit %d, want 2", code)
	}
}

func TestPolicyLayers(t *testing.T) {
	home := hermetic(t)
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, "config", "tokenguard", "config.toml"), `
[tokenage]
max_age = "60d"
remind_every = "1d"
ignore = ["openai"]
[tokenage.providers.github]
warn_before = "3d"
`)
	repo := filepath.Join(home, "repo")
	write(filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(filepath.Join(repo, ".tokenguard.toml"), `
[tokenage]
max_age = "45d"
ignore = ["GITHUB_TOKEN"]
`)
	t.Chdir(repo)
	b := &books{getenv: os.Getenv}
	s, err := policyFlags{}.load(b)
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	if got := s.policy.Default; got.MaxAge != 45*day || got.WarnBefore != 14*day {
		t.Errorf("default limits %+v, want the repository's 45d and the default 14d", got)
	}
	// The GitHub override was given in the user's file, before the repository
	// changed max_age: it overrides warn_before only, and inherits the rest.
	if got := s.policy.LimitsFor("github"); got.MaxAge != 45*day || got.WarnBefore != 3*day {
		t.Errorf("github limits %+v, want 45d and 3d", got)
	}
	if s.remindEvery != day || !s.policy.Ignored("openai") || !s.policy.Ignored("GITHUB_TOKEN") {
		t.Errorf("settings %+v", s)
	}
	var f policyFlags
	f.MaxAge = age{d: 10 * day, set: true}
	s, _ = f.load(b)
	if s.policy.LimitsFor("github").MaxAge != 10*day || s.policy.LimitsFor("hf").MaxAge != 10*day {
		t.Errorf("--max-age does not override every provider: %+v", s.policy)
	}
}

func TestSpan(t *testing.T) {
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{
		10*day - time.Minute: "10 days", 10 * day: "10 days", 10*day + time.Minute: "11 days",
		day: "1 day", 5 * time.Hour: "5 hours", 90 * time.Minute: "less than 2 hours",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}

// A credential file that cannot be used is named: a warning line in warn
// (which never fails the shell), exit 3 after the table in status and check,
// and exit 1 in check when a credential is also too old.
func TestUnreadableCredentialFile(t *testing.T) {
	home := hermetic(t)
	fifo := filepath.Join(home, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Setenv("HF_TOKEN_PATH", fifo)
	const msg = "cannot read ~/fifo: it is a named pipe, not a regular file"
	if code, _, errs := run(t, "warn"); code != 0 || errs != "tokenage: warning: "+msg+"\n" {
		t.Errorf("warn: exit %d, stderr %q", code, errs)
	}
	for _, cmd := range []string{"status", "check"} {
		code, out, errs := run(t, cmd)
		if code != 3 || !strings.HasPrefix(errs, "tokenage: error: "+msg+"\n") || !strings.Contains(errs, "hint: run `hf auth login`") || out == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", cmd, code, out, errs)
		}
	}
	t.Setenv("GH_TOKEN", "ghp_"+strings.Repeat("a", 36))
	if err := clock.SetForTest("+100d"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { clock.SetForTest("") })
	run(t, "warn") // records GH_TOKEN at the test clock's now
	if err := clock.SetForTest("+200d"); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "check")
	if code != 1 || !strings.Contains(errs, "tokenage: error: "+msg+"\n") || !strings.Contains(errs, "GH_TOKEN") {
		t.Errorf("check with an old token and a pipe: exit %d, stderr %q", code, errs)
	}
}
