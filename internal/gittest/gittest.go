// Package gittest runs the real git for tests, sealed off from the machine:
// nothing the developer's shell, a hook that runs the tests, or another
// process on the machine holds can change what git does in a test.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The identity every commit made through this package carries.
const (
	Name  = "Test User"
	Email = "test@example.com"
)

// config is the only configuration git reads besides the repository's own:
// a known identity and branch name, and no automatic gc or maintenance, which
// would otherwise run in the background and rewrite the object store under a
// test.
const config = `[user]
	name = ` + Name + `
	email = ` + Email + `
[init]
	defaultBranch = main
[gc]
	auto = 0
[maintenance]
	auto = false
[advice]
	detachedHead = false
`

// Require skips the test when git is not installed.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

// Env returns the environment for a hermetic git: the process environment
// less every GIT_* variable (a hook that runs the tests sets GIT_DIR,
// GIT_INDEX_FILE and more, which would point git at another repository) and
// less the user's configuration (HOME and XDG_CONFIG_HOME are fresh, the
// system file is off, the global file is this package's).
func Env(t testing.TB) []string {
	t.Helper()
	home := t.TempDir()
	global := filepath.Join(home, ".gitconfig")
	if err := os.WriteFile(global, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "GIT_"), name == "HOME", name == "XDG_CONFIG_HOME", name == "EMAIL":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL="+global,
		"GIT_TERMINAL_PROMPT=0",
	)
}

// Command returns git with args, to run in dir with the hermetic Env.
// Standard input stays nil, which os/exec connects to the null device: git
// must never read the test's descriptors. Append to Env to add variables.
func Command(t testing.TB, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = Env(t)
	return cmd
}

// Run runs git in dir and returns its standard output as is; a failure ends
// the test with git's standard error.
func Run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return Output(t, Command(t, dir, args...))
}

// Output runs a command from Command and returns its standard output; a
// failure ends the test with its standard error.
func Output(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	return string(out)
}
