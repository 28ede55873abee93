package tokenage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// When a small reader declines a file, warn writes nothing, neither to the
// terminal nor to the ledger, and Run returns errDeclined, on which Main
// hands the command to tokenage-cli (testscript tokenage_small_readers).
func TestWarnDeclinesWhatSmallReadersDecline(t *testing.T) {
	for name, tc := range map[string]struct {
		file, content string
		vars          map[string]string
		declined      bool
	}{
		"modal in the subset":     {".modal.toml", "[w]\ntoken_id = \"ak-x\"\ntoken_secret = \"as-y\"\n", nil, false},
		"modal with an escape":    {".modal.toml", "[w]\ntoken_id = \"\\u0061k-x\"\ntoken_secret = \"as-y\"\n", nil, true},
		"modal malformed":         {".modal.toml", "[w\n", nil, true},
		"config in the subset":    {".tokenguard.toml", "[tokenage]\nmax_age = \"30d\"\n", nil, false},
		"config with [scan]":      {".tokenguard.toml", "[scan]\n[tokenage]\nmax_age = \"30d\"\n", nil, true},
		"config with a typo":      {".tokenguard.toml", "[tokenage]\nmax_agee = \"30d\"\n", nil, true},
		"netrc, plain W&B URL":    {".netrc", "machine h\n password p\n", map[string]string{"WANDB_BASE_URL": "https://h/"}, false},
		"netrc, W&B user info":    {".netrc", "machine h\n password p\n", map[string]string{"WANDB_BASE_URL": "https://u@h/"}, true},
		"no netrc, W&B user info": {"", "", map[string]string{"WANDB_BASE_URL": "https://u@h/"}, false},
	} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			for _, k := range []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET",
				"MODAL_CONFIG_PATH", "MODAL_PROFILE", "GH_TOKEN", "GITHUB_TOKEN", "GH_CONFIG_DIR", "WANDB_API_KEY", "WANDB_BASE_URL",
				"NETRC", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "XDG_CACHE_HOME"} {
				t.Setenv(k, "")
			}
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
			t.Setenv("HF_TOKEN", "hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
			for k, v := range tc.vars {
				t.Setenv(k, v)
			}
			if err := os.Mkdir(filepath.Join(home, ".git"), 0o700); err != nil {
				t.Fatal(err)
			}
			if tc.file != "" {
				if err := os.WriteFile(filepath.Join(home, tc.file), []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(home)
			b := NewBooks(Small)
			var out bytes.Buffer
			err := (&WarnCmd{Timeout: 10 * time.Second}).Run(b, Stdio{Out: &out, Err: &out})
			if got := errors.Is(err, errDeclined); got != tc.declined {
				t.Fatalf("declined %v (err %v), want %v", got, err, tc.declined)
			}
			_, statErr := os.Stat(b.ledgerPath)
			if tc.declined && (out.Len() > 0 || statErr == nil) {
				t.Errorf("declined, yet wrote %q or the ledger (%v)", out.String(), statErr)
			}
			if !tc.declined && statErr != nil {
				t.Errorf("not declined, yet the ledger was not written: %v", statErr)
			}
		})
	}
}
