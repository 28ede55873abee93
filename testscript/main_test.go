// Package testscript holds the end-to-end specification of tokenguard: each
// *.txtar file is a scenario run against the real binaries, real git and
// fake services on loopback.
package testscript

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	hubuploadcli "github.com/tokenguard/tokenguard/internal/cli/hubupload"
	pushguardcli "github.com/tokenguard/tokenguard/internal/cli/pushguard"
	secretscancli "github.com/tokenguard/tokenguard/internal/cli/secretscan"
	tokenagecli "github.com/tokenguard/tokenguard/internal/cli/tokenage"
	"github.com/tokenguard/tokenguard/internal/cli/tokenage/kongcli"
	tokencheckcli "github.com/tokenguard/tokenguard/internal/cli/tokencheck"
	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/rotate"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// mains are the binaries under test, by name.
var mains = map[string]func(args []string, stdout, stderr io.Writer) int{
	"tokencheck":   tokencheckcli.Main,
	"tokenage":     tokenagecli.Main,
	"tokenage-cli": kongcli.Main,
	"hubupload":    hubuploadcli.Main,
	"secretscan":   secretscancli.Main,
	"pushguard": func(args []string, stdout, stderr io.Writer) int {
		return pushguardcli.Main(args, os.Stdin, stdout, stderr)
	},
}

func TestMain(m *testing.M) {
	commands := map[string]func(){}
	for name, main := range mains {
		commands[name] = func() {
			// Only the test binary reads the test clock: see internal/clock.
			if err := clock.SetForTest(os.Getenv("TOKENGUARD_TEST_NOW")); err != nil {
				fmt.Fprintln(os.Stderr, "TOKENGUARD_TEST_NOW:", err)
				os.Exit(2)
			}
			// An interrupted rotation, for rotate_interrupted.txtar.
			if n, err := strconv.Atoi(os.Getenv("TOKENGUARD_TEST_ROTATE_CRASH_AFTER")); err == nil {
				rotate.SetCrashForTest(n)
			}
			os.Exit(transcribe(main))
		}
	}
	testscript.Main(m, commands)
}

// transcribe runs a binary with its stdout and stderr also appended to the
// scenario's transcript, so the leak guard sees every line any binary wrote.
func transcribe(main func([]string, io.Writer, io.Writer) int) int {
	path := os.Getenv("TOKENGUARD_TEST_TRANSCRIPT")
	if path == "" {
		return main(os.Args[1:], os.Stdout, os.Stderr)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "transcript:", err)
		return 3
	}
	defer f.Close()
	return main(os.Args[1:], io.MultiWriter(os.Stdout, f), io.MultiWriter(os.Stderr, f))
}

func TestScripts(t *testing.T) {
	// Scenarios that build (install.sh) share the developer's Go caches.
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	goEnv := strings.Fields(string(out))
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO_ROOT", root)
			env.Setenv("GOCACHE", goEnv[0])
			env.Setenv("GOMODCACHE", goEnv[1])
			env.Setenv("GOPATH", goEnv[2])
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOFLAGS", "-mod=mod")
			return setup(env)
		},
		Cmds:      commands(),
		Condition: condition,
	})
}

// condition answers the scenarios' own conditions:
// [git-sha256] the installed git makes SHA-256 repositories.
func condition(cond string) (bool, error) {
	switch cond {
	case "root": // file modes do not stop root, so permission cases skip
		return os.Geteuid() == 0, nil
	case "git-sha256":
		dir, err := os.MkdirTemp("", "sha256-probe")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(dir)
		return exec.Command("git", "init", "-q", "--object-format=sha256", dir).Run() == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// fakeTokens are the credentials the fakes accept, exported to every scenario.
var fakeTokens = map[string]string{
	"FAKE_HF_WRITE":             hubtest.TokenWrite,
	"FAKE_HF_READ":              hubtest.TokenRead,
	"FAKE_HF_FINEGRAINED_WRITE": hubtest.TokenFineGrainedWrite,
	"FAKE_HF_FINEGRAINED_READ":  hubtest.TokenFineGrainedRead,
	"FAKE_HF_OTHER_USER":        hubtest.TokenOtherUserWrite,
	"FAKE_GITHUB":               tokentest.GitHubClassic,
	"FAKE_GITHUB_FINEGRAINED":   tokentest.GitHubFineGrained,
	"FAKE_MODAL_ID":             tokentest.ModalTokenID,
	"FAKE_MODAL_SECRET":         tokentest.ModalTokenSecret,
	"FAKE_WANDB":                tokentest.WandBKey,
	"FAKE_OPENAI":               tokentest.OpenAIKey,
	"FAKE_ANTHROPIC":            tokentest.AnthropicKey,
}

// setup makes every scenario hermetic: its own HOME and XDG directories, no
// system git config, a known identity. testscript starts every scenario from
// an almost empty environment (PATH and little else), so no GIT_* variable of
// the machine reaches the scenario's git.
func setup(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	vars := map[string]string{
		"HOME":                       home,
		"XDG_CONFIG_HOME":            filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":             filepath.Join(home, ".cache"),
		"XDG_STATE_HOME":             filepath.Join(home, ".local", "state"),
		"XDG_DATA_HOME":              filepath.Join(home, ".local", "share"),
		"GIT_CONFIG_NOSYSTEM":        "1",
		"NO_COLOR":                   "1",
		"TOKENGUARD_TEST_TRANSCRIPT": filepath.Join(env.WorkDir, ".transcript"),
	}
	for k, v := range vars {
		env.Setenv(k, v)
	}
	for k, v := range fakeTokens {
		env.Setenv(k, v)
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	// No automatic gc or maintenance: they would run in the background and
	// rewrite a scenario's repository under it.
	gitconfig := "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n" +
		"[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		return err
	}
	env.Values[fakesKey{}] = map[string]*tokentest.Server{}
	return nil
}

type fakesKey struct{}

// fakeServices are the fakes a scenario can start, each with the variable
// that points clients at it. start is nil for a fake without accounts.
var fakeServices = map[string]struct {
	envVar string
	start  func(behaviour string) (*tokentest.Server, error)
	with   func(behaviour string, accounts []tokentest.Account) (*tokentest.Server, error)
}{
	"fakehub":       {"HF_ENDPOINT", hubtest.New, nil},
	"fakegithub":    {"GITHUB_API_URL", tokentest.NewGitHub, tokentest.NewGitHubWith},
	"fakemodal":     {"MODAL_SERVER_URL", tokentest.NewModal, tokentest.NewModalWith},
	"fakewandb":     {"WANDB_BASE_URL", tokentest.NewWandB, tokentest.NewWandBWith},
	"fakeopenai":    {"OPENAI_BASE_URL", tokentest.NewOpenAI, tokentest.NewOpenAIWith},
	"fakeanthropic": {"ANTHROPIC_BASE_URL", tokentest.NewAnthropic, tokentest.NewAnthropicWith},
}

func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"requests":  cmdRequests,
		"noleak":    cmdNoLeak,
		"ghsecret":  cmdGitHubSecret,
		"faketoken": cmdFakeToken,
		// precommit_test.go
		"precommit-compat": cmdPreCommitCompat,
	}
	maps.Copy(cmds, hubCommands)    // hub_test.go
	maps.Copy(cmds, signalCommands) // signal_test.go
	for name, svc := range fakeServices {
		cmds[name] = func(ts *testscript.TestScript, neg bool, args []string) {
			if neg {
				ts.Fatalf("%s does not support !", name)
			}
			behaviour := "ok"
			if len(args) > 0 && !strings.Contains(args[0], "=") {
				behaviour, args = args[0], args[1:]
			}
			var srv *tokentest.Server
			var err error
			switch {
			case len(args) == 0:
				srv, err = svc.start(behaviour)
			case svc.with == nil:
				ts.Fatalf("usage: %s [behaviour] (it has fixed tokens)", name)
			default:
				srv, err = svc.with(behaviour, parseAccounts(ts, name, args))
			}
			ts.Check(err)
			ts.Defer(srv.Close)
			ts.Setenv(svc.envVar, srv.URL)
			ts.Value(fakesKey{}).(map[string]*tokentest.Server)[name] = srv
		}
	}
	return cmds
}

// parseAccounts reads the accounts of `fakegithub [behaviour] VAR=IDENTITY[:ROLE]…`:
// the token is the value of VAR (for Modal, ID_VAR+SECRET_VAR), so no
// credential is written in the scenario twice.
func parseAccounts(ts *testscript.TestScript, fake string, args []string) []tokentest.Account {
	var accounts []tokentest.Account
	for _, arg := range args {
		vars, who, ok := strings.Cut(arg, "=")
		if !ok {
			ts.Fatalf("usage: %s [behaviour] VAR=IDENTITY[:ROLE]...; %q has no =", fake, arg)
		}
		idVar, secretVar, pair := strings.Cut(vars, "+")
		var a tokentest.Account
		a.Identity, a.Role, _ = strings.Cut(who, ":")
		a.Token = ts.Getenv(idVar)
		if pair {
			a.Secret = ts.Getenv(secretVar)
		}
		if a.Token == "" || pair && a.Secret == "" {
			ts.Fatalf("%s: %s is not set", fake, vars)
		}
		accounts = append(accounts, a)
	}
	return accounts
}

// cmdFakeToken sets variables to a fresh credential in the provider's real
// format: `faketoken github FAKE_GH_NEW`, `faketoken modal FAKE_ID FAKE_SECRET`.
func cmdFakeToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: faketoken PROVIDER VAR [SECRET_VAR]")
	}
	token, secret, err := tokentest.NewToken(args[0])
	ts.Check(err)
	if (secret != "") != (len(args) == 3) {
		ts.Fatalf("faketoken %s takes %d variables", args[0], map[bool]int{true: 2, false: 1}[secret != ""])
	}
	ts.Setenv(args[1], token)
	if secret != "" {
		ts.Setenv(args[2], secret)
	}
}

// cmdRequests asserts how many requests a fake has answered:
// `requests fakehub 1`.
func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: requests FAKE COUNT")
	}
	srv, ok := ts.Value(fakesKey{}).(map[string]*tokentest.Server)[args[0]]
	if !ok {
		ts.Fatalf("%s was not started", args[0])
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	got := srv.Requests()
	if (got == want) == neg {
		ts.Fatalf("%s answered %d requests, want %s%d", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdGitHubSecret asserts what the GitHub fake decrypted from the last PUT
// of an Actions secret, without printing it: `ghsecret
// /repos/alice/app/actions/secrets/HF_TOKEN FAKE_HF_WRITE` (the value of
// the variable); with ! it asserts the secret is absent or holds another value.
func cmdGitHubSecret(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: ghsecret API-PATH VAR")
	}
	srv, ok := ts.Value(fakesKey{}).(map[string]*tokentest.Server)["fakegithub"]
	if !ok {
		ts.Fatalf("fakegithub was not started")
	}
	got, stored := srv.Secret(args[0])
	if match := stored && got == ts.Getenv(args[1]); match == neg {
		ts.Fatalf("secret %s: stored %v, holds $%s: %v (want %v)", args[0], stored, args[1], match, !neg)
	}
}

// cmdNoLeak is the leak guard: it fails if the value of any named
// environment variable (or @file's content) appears in anything a binary
// wrote to stdout or stderr in this scenario, in the request log of any
// fake started, or in any file under the state directory (audit log,
// caches, ledger). The one exception is GitHub's
// ::add-mask:: command, which must carry the value to hide it.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("noleak does not support !")
	}
	var secrets []string
	for _, a := range args {
		v := ts.Getenv(a)
		if strings.HasPrefix(a, "@") {
			data, err := os.ReadFile(ts.MkAbs(a[1:]))
			ts.Check(err)
			v = strings.TrimSpace(string(data))
		}
		if len(v) < 8 {
			ts.Fatalf("noleak: %s holds no credential to guard", a)
		}
		secrets = append(secrets, v)
	}
	if len(secrets) == 0 {
		ts.Fatalf("usage: noleak VAR|@FILE...")
	}
	check := func(where string, data []byte) {
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.HasPrefix(line, "::add-mask::") {
				continue
			}
			for _, s := range secrets {
				if strings.Contains(line, s) {
					ts.Fatalf("credential leaked into %s line %d: %s", where, n, line)
				}
			}
		}
	}
	transcript, err := os.ReadFile(ts.Getenv("TOKENGUARD_TEST_TRANSCRIPT"))
	if err != nil && !os.IsNotExist(err) {
		ts.Fatalf("%v", err)
	}
	check("stdout/stderr", transcript)
	for name, srv := range ts.Value(fakesKey{}).(map[string]*tokentest.Server) {
		check(name+"'s request log", []byte(srv.Log()))
	}
	state := ts.Getenv("XDG_STATE_HOME")
	err = filepath.WalkDir(state, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		check(path, data)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		ts.Fatalf("%v", err)
	}
}

// TestScenariosGuardLeaks makes the leak guard mandatory: every scenario that
// puts a credential in the environment or a file must call noleak.
func TestScenariosGuardLeaks(t *testing.T) {
	files, err := filepath.Glob("*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if strings.Contains(s, "$FAKE_") && !strings.Contains(s, "\nnoleak ") {
			t.Errorf("%s sets a credential but never runs noleak", f)
		}
	}
}

// optionalPrograms are the programs a machine with only Go and git lacks.
// A scenario that runs one skips when it is missing, or guards each line.
var optionalPrograms = []string{"git", "bash", "zsh", "fish", "shellcheck", "pre-commit", "node", "npm", "go", "mkfifo"}

// TestScenariosGuardOptionalPrograms keeps `go test ./...` green on a machine
// with only Go and git: every scenario that execs an optional program has
// `[!exec:prog] skip 'prog is not installed'`, or an `[exec:prog]` condition
// on each line that runs it.
func TestScenariosGuardOptionalPrograms(t *testing.T) {
	files, err := filepath.Glob("*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		script := string(ar.Comment)
		for _, prog := range optionalPrograms {
			if strings.Contains(script, "[!exec:"+prog+"] skip '"+prog+" is not installed'") {
				continue
			}
			for n, line := range strings.Split(script, "\n") {
				words := strings.Fields(line)
				if i := slices.Index(words, "exec"); i >= 0 && i+1 < len(words) && words[i+1] == prog &&
					!slices.Contains(words[:i], "[exec:"+prog+"]") {
					t.Errorf("%s:%d runs %s without [!exec:%s] skip '%s is not installed' or [exec:%s]", f, n+1, prog, prog, prog, prog)
				}
			}
		}
	}
}
