package gittest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitIgnoresTheMachine runs git through this package from inside the
// worst environment a test can inherit: the variables a git hook exports
// (pointing at another repository), a user configuration with another
// identity, a command-line configuration, and a standard input that carries
// another process's output. The commit must land in the test's repository
// with the package's identity, and git must read nothing else.
func TestGitIgnoresTheMachine(t *testing.T) {
	Require(t)
	outer := t.TempDir()
	Run(t, outer, "init", "-q")
	user := t.TempDir()
	leaked := "[user]\n\tname = Leaked\n\temail = leaked@example.com\n[alias]\n\tst = status\n"
	os.MkdirAll(filepath.Join(user, "git"), 0o755)
	os.WriteFile(filepath.Join(user, ".gitconfig"), []byte(leaked), 0o644)
	os.WriteFile(filepath.Join(user, "git", "config"), []byte(leaked), 0o644)
	for k, v := range map[string]string{
		"GIT_DIR":               filepath.Join(outer, ".git"),
		"GIT_WORK_TREE":         outer,
		"GIT_INDEX_FILE":        filepath.Join(outer, ".git", "index"),
		"GIT_OBJECT_DIRECTORY":  filepath.Join(outer, ".git", "objects"),
		"GIT_CONFIG_PARAMETERS": "'user.name'='Leaked'",
		"GIT_CONFIG_GLOBAL":     filepath.Join(user, ".gitconfig"),
		"GIT_AUTHOR_NAME":       "Leaked",
		"HOME":                  user,
		"XDG_CONFIG_HOME":       user,
		"EMAIL":                 "leaked@example.com",
	} {
		t.Setenv(k, v)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString("commit 0123456789abcdef0123456789abcdef01234567\n")
	w.Close()
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = stdin; r.Close() })

	dir := t.TempDir()
	Run(t, dir, "init", "-q")
	os.WriteFile(filepath.Join(dir, "f"), []byte("x\n"), 0o644)
	Run(t, dir, "add", "f")
	Run(t, dir, "commit", "-q", "-m", "one")
	if got, want := Run(t, dir, "log", "--format=%an <%ae> %cn <%ce>"), Name+" <"+Email+"> "+Name+" <"+Email+">\n"; got != want {
		t.Errorf("identity %q, want %q", got, want)
	}
	if got := Run(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/main\n" {
		t.Errorf("HEAD is %q, want refs/heads/main", got)
	}
	if got := Run(t, outer, "rev-list", "--all"); got != "" {
		t.Errorf("the outer repository got commits: %q", got)
	}
	if _, err := os.Stat(filepath.Join(outer, ".git", "index")); err == nil {
		t.Errorf("the outer repository got an index")
	}
	// Every setting comes from this package's file or the repository's own.
	for _, line := range strings.Split(strings.TrimSpace(Run(t, dir, "config", "--list", "--show-origin")), "\n") {
		origin, _, _ := strings.Cut(line, "\t")
		if !strings.HasSuffix(origin, "/.gitconfig") && origin != "file:.git/config" || strings.Contains(origin, user) {
			t.Errorf("git read configuration from outside: %s", line)
		}
	}
	// git reads an empty standard input, not the test process's.
	if got := Run(t, dir, "hash-object", "--stdin"); got != "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n" {
		t.Errorf("git read a standard input: hash-object --stdin = %q, want the empty blob", got)
	}
}
