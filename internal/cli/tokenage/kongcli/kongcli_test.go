package kongcli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

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
