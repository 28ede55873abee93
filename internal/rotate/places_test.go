package rotate

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/redact"
)

const (
	oldTok = "hf_26nDVqhmE9ReI99WUZDPGFWR8lyGpWlbsz"
	newTok = "hf_Rd6oNDr41fNY3G5atzX7nqI4YaDb9gnNlf"
)

func TestReplaceBySyntax(t *testing.T) {
	swap := map[string]string{redact.Fingerprint(oldTok): newTok}
	tests := []struct{ name, in, want string }{
		{"export double quotes", `export HF_TOKEN="` + oldTok + `"`, `export HF_TOKEN="` + newTok + `"`},
		{"export single quotes", `export HF_TOKEN='` + oldTok + `'`, `export HF_TOKEN='` + newTok + `'`},
		{"dotenv with comment", "HF_TOKEN=" + oldTok + " # trainer", "HF_TOKEN=" + newTok + " # trainer"},
		{"ini", "[ci]\nhf_token = " + oldTok + "\n", "[ci]\nhf_token = " + newTok + "\n"},
		{"netrc", "machine huggingface.co login alice password " + oldTok, "machine huggingface.co login alice password " + newTok},
		{"git-credentials url", "https://alice:" + oldTok + "@huggingface.co", "https://alice:" + newTok + "@huggingface.co"},
		{"yaml", "github.com:\n    oauth_token: " + oldTok + "\n", "github.com:\n    oauth_token: " + newTok + "\n"},
		{"fish", "set -gx HF_TOKEN " + oldTok, "set -gx HF_TOKEN " + newTok},
		// A longer value that contains the old one is another value.
		{"longer word untouched", "X=" + oldTok + "abc", "X=" + oldTok + "abc"},
		{"prefix untouched", "X=" + oldTok[:20], "X=" + oldTok[:20]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, lines := replace([]byte(tc.in), swap)
			if string(got) != tc.want {
				t.Errorf("replace(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if changed := tc.in != tc.want; changed != (len(lines) > 0) {
				t.Errorf("lines %v for a change %v", lines, changed)
			}
		})
	}
}

func TestReplaceLines(t *testing.T) {
	swap := map[string]string{redact.Fingerprint(oldTok): newTok}
	in := "a\n" + oldTok + " " + oldTok + "\nb\n\nexport X=" + oldTok + "\n"
	_, lines := replace([]byte(in), swap)
	if !reflect.DeepEqual(lines, []int{2, 5}) {
		t.Errorf("lines = %v, want [2 5]", lines)
	}
}

// Every file a client reads is found, a pair's two halves are both
// replaced, and a file holding only other values is left out.
func TestFindPlaces(t *testing.T) {
	home := t.TempDir()
	cwd := t.TempDir()
	if err := exec.Command("git", "init", "-q", cwd).Run(); err != nil {
		t.Skipf("git init: %v", err)
	}
	write := func(path, content string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	const oldID, oldSecret = "ak-aaaaaaaaaaaaaaaaaaaaaa", "as-bbbbbbbbbbbbbbbbbbbbbb"
	write(filepath.Join(home, ".modal.toml"), "[work]\ntoken_id = \""+oldID+"\"\ntoken_secret = \""+oldSecret+"\"\nactive = true\n", 0o600)
	write(filepath.Join(home, ".netrc"), "machine api.wandb.ai\n  login user\n  password "+oldID+"\n", 0o600)
	write(filepath.Join(home, ".config", "gh", "hosts.yml"), "github.com:\n    oauth_token: other-value-123456\n", 0o600)
	write(filepath.Join(cwd, "app", ".env.local"), "MODAL_TOKEN_SECRET="+oldSecret+"\n", 0o644)
	env := credential.Env{Getenv: func(string) string { return "" }, Home: home}
	swap := map[string]string{redact.Fingerprint(oldID): "ak-new", redact.Fingerprint(oldSecret): "as-new"}
	places, unread := findPlaces(env, cwd, swap)
	if len(unread) != 0 {
		t.Errorf("unread: %v", unread)
	}
	var got []string
	for _, p := range places {
		got = append(got, p.Shown)
	}
	want := []string{"~/.modal.toml", "~/.netrc", filepath.Join(cwd, "app", ".env.local")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("places = %v, want %v", got, want)
	}
	if !places[2].InRepo || places[2].Tracked || places[0].InRepo {
		t.Errorf("in repository: %v %v, tracked %v", places[0].InRepo, places[2].InRepo, places[2].Tracked)
	}
	if string(places[0].new) != "[work]\ntoken_id = \"ak-new\"\ntoken_secret = \"as-new\"\nactive = true\n" || places[2].mode != 0o644 {
		t.Errorf("modal.toml becomes %q; .env mode %v", places[0].new, places[2].mode)
	}
	// Writing keeps the mode and a private backup beside the file.
	if err := places[2].write(); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(places[2].Path)
	bi, _ := os.Stat(places[2].Path + backupSuffix)
	if fi.Mode().Perm() != 0o644 || bi == nil || bi.Mode().Perm() != 0o600 {
		t.Errorf("modes after write: file %v, backup %v", fi.Mode(), bi)
	}
	if err := places[2].restore(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(places[2].Path); string(data) != "MODAL_TOKEN_SECRET="+oldSecret+"\n" {
		t.Errorf("restore gave %q", data)
	}
}

// Outside a repository only the directory's own .env files count: the
// command may run in the home directory.
func TestDotEnvOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{".env", ".env.prod", "sub/.env", ".env" + backupSuffix} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o700)
		os.WriteFile(filepath.Join(dir, p), nil, 0o600)
	}
	got := dotEnvFiles(dir)
	want := []string{filepath.Join(dir, ".env"), filepath.Join(dir, ".env.prod")}
	if repoRoot(dir) == "" && !reflect.DeepEqual(got, want) {
		t.Errorf("dotEnvFiles = %v, want %v", got, want)
	}
}

// A symlinked rc file (dotfile managers) is written through the link,
// which stays a link.
func TestFindPlacesFollowsSymlinks(t *testing.T) {
	home := t.TempDir()
	target := filepath.Join(t.TempDir(), "bashrc")
	if err := os.WriteFile(target, []byte("export HF_TOKEN="+oldTok+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(home, ".bashrc")); err != nil {
		t.Fatal(err)
	}
	env := credential.Env{Getenv: func(string) string { return "" }, Home: home}
	places, _ := findPlaces(env, t.TempDir(), map[string]string{redact.Fingerprint(oldTok): newTok})
	if len(places) != 1 {
		t.Fatalf("places = %v", places)
	}
	if err := places[0].write(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(home, ".bashrc")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("~/.bashrc is no longer a symlink: %v %v", fi, err)
	}
	if data, _ := os.ReadFile(target); string(data) != "export HF_TOKEN="+newTok+"\n" {
		t.Errorf("target = %q", data)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		kind, in string
		want     Target
		err      bool
	}{
		{"repo", "alice/app", Target{Owner: "alice", Repo: "app"}, false},
		{"repo", "alice/app:HUB_TOKEN", Target{Owner: "alice", Repo: "app", Name: "HUB_TOKEN"}, false},
		{"env", "alice/app/prod", Target{Owner: "alice", Repo: "app", Env: "prod"}, false},
		{"org", "ml-team:HF_TOKEN", Target{Owner: "ml-team", Name: "HF_TOKEN"}, false},
		{"repo", "alice", Target{}, true},
		{"repo", "alice/app:GITHUB_TOKEN", Target{}, true},
		{"repo", "alice/app:1X", Target{}, true},
		{"org", "a/b", Target{}, true},
		{"repo", "alice/a pp", Target{}, true},
	}
	for _, tc := range tests {
		got, err := ParseTarget(tc.kind, tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseTarget(%s, %q) = %+v, %v", tc.kind, tc.in, got, err)
		}
	}
}
