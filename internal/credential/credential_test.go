package credential_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/token"
)

// The finders and the providers of internal/token must describe the same
// providers in the same order: tokenage and tokencheck name them alike.
func TestFindersMatchProviders(t *testing.T) {
	finders, providers := credential.Finders(), token.Providers()
	if len(finders) != len(providers) {
		t.Fatalf("%d finders, %d providers", len(finders), len(providers))
	}
	for i, f := range finders {
		if p := providers[i]; f.Provider != p.Name() || f.Title != p.Title() {
			t.Errorf("finder %d is %s/%s, provider is %s/%s", i, f.Provider, f.Title, p.Name(), p.Title())
		}
	}
}

func TestFindAllInReportOrder(t *testing.T) {
	vars := map[string]string{
		"ANTHROPIC_API_KEY": "sk-ant-x", "GH_TOKEN": "ghp_x", "GITHUB_TOKEN": "ghp_y", "HF_TOKEN": "hf_x",
	}
	env := credential.Env{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir()}
	var got []string
	for _, c := range credential.FindAll(env) {
		got = append(got, c.Source)
	}
	want := []string{"env HF_TOKEN", "env GH_TOKEN", "env GITHUB_TOKEN", "env ANTHROPIC_API_KEY"}
	if len(got) != len(want) {
		t.Fatalf("FindAll found %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("FindAll found %v, want %v", got, want)
			break
		}
	}
}

// A credential file that exists but cannot be used takes the place of the
// credential a client would have read from it, with a message naming the
// file and what is wrong; nothing blocks on a pipe or a device.
func TestUnusableCredentialFiles(t *testing.T) {
	home := t.TempDir()
	fifo := filepath.Join(home, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	write := func(name, content string) string {
		p := filepath.Join(home, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const pair = "[work]\ntoken_id = \"ak-abc\"\ntoken_secret = \"as-def\"\n"
	tests := []struct {
		name string
		vars map[string]string
		find func(credential.Env) []credential.Credential
		want string // the error of the first credential found
	}{
		{"hf token file is a pipe", map[string]string{"HF_TOKEN_PATH": fifo}, credential.HF,
			"cannot read ~/fifo: it is a named pipe, not a regular file"},
		{"hf token file is /dev/zero", map[string]string{"HF_TOKEN_PATH": "/dev/zero"}, credential.HF,
			"cannot read /dev/zero: it is a character device, not a regular file"},
		{"hf token path is a directory", map[string]string{"HF_TOKEN_PATH": home}, credential.HF,
			"cannot read ~: it is a directory, not a regular file"},
		{"modal config is a pipe", map[string]string{"MODAL_CONFIG_PATH": fifo}, credential.Modal,
			"cannot read ~/fifo: it is a named pipe, not a regular file"},
		{"modal table not closed", map[string]string{"MODAL_CONFIG_PATH": write("m1.toml", pair+"[work")}, credential.Modal,
			"~/m1.toml is malformed at line 4: expected '.' or ']' to end table name, but got the end of the file instead"},
		{"modal value of the wrong type", map[string]string{"MODAL_CONFIG_PATH": write("m2.toml", "[work]\nactive = \"yes\"\n")}, credential.Modal,
			"~/m2.toml is malformed at line 2: incompatible types: TOML value has type string; destination has type boolean"},
		{"modal half from the file", map[string]string{"MODAL_CONFIG_PATH": fifo, "MODAL_TOKEN_ID": "ak-x"}, credential.Modal,
			"cannot read ~/fifo: it is a named pipe, not a regular file"},
		{"netrc is a pipe", map[string]string{"NETRC": fifo}, credential.WandB,
			"cannot read ~/fifo: it is a named pipe, not a regular file"},
		{"netrc is malformed", map[string]string{"NETRC": write("netrc", "machine api.wandb.ai\n  pasword KEY\n")}, credential.WandB,
			`~/netrc is malformed at line 2: unknown keyword "pasword" (netrc knows machine, default, login, account, password and macdef)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := credential.Env{Getenv: func(k string) string { return tc.vars[k] }, Home: home}
			got := tc.find(env)
			if len(got) != 1 || got[0].Err == nil {
				t.Fatalf("found %+v, want one unusable file", got)
			}
			if got[0].Err.Error() != tc.want || got[0].Value != "" || got[0].Err.Hint == "" {
				t.Errorf("error %q (hint %q), want %q", got[0].Err, got[0].Err.Hint, tc.want)
			}
		})
	}
	// A full pair in the environment is used first; the broken file follows.
	env := credential.Env{Getenv: func(k string) string {
		return map[string]string{"MODAL_CONFIG_PATH": fifo, "MODAL_TOKEN_ID": "ak-x", "MODAL_TOKEN_SECRET": "as-y"}[k]
	}, Home: home}
	if got := credential.Modal(env); len(got) != 2 || got[0].Err != nil || got[0].Value != "ak-x" || got[1].Err == nil {
		t.Errorf("env pair and broken file: %+v", got)
	}
}
