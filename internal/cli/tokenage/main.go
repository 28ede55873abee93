// Package tokenage is the tokenage command line: token-age warnings for the
// login shell (warn, init), and the ledger behind them for people and CI
// (status, check, rotated, forget). It links no network code, so that the
// shell fast path starts in a few milliseconds.
package tokenage

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/alecthomas/kong"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/ledger"
	"github.com/tokenguard/tokenguard/internal/statedir"
)

const name = "tokenage"

// cli is the whole command line.
type cli struct {
	clikit.VersionFlag `embed:""`

	Warn    warnCmd    `cmd:"" help:"Warn about old or expiring credentials (the shell fast path; always exits 0)."`
	Status  statusCmd  `cmd:"" help:"Show every known credential with its age and where the age comes from."`
	Check   checkCmd   `cmd:"" help:"Fail (exit 1) when a credential in use is past the maximum age or expired."`
	Rotated rotatedCmd `cmd:"" help:"Record that a credential was rotated: its age counts from now."`
	Forget  forgetCmd  `cmd:"" help:"Remove credentials from the ledger."`
	Init    initCmd    `cmd:"" help:"Print the snippet that runs tokenage warn in a shell's startup file."`
	Rotate  rotateCmd  `cmd:"" help:"Replace a token everywhere the old one lives (runs tokencheck rotate)."`
}

// books is the ledger and what judging ages needs: bound for the commands
// that read or write the ledger.
type books struct {
	getenv     func(string) string
	env        credential.Env
	now        func() time.Time
	ledgerPath string
	stateErr   error // no state directory could be found
	lockWait   time.Duration
}

// The commands that run on every shell start (init, from the eval line, and
// warn) parse against a model of their own: kong builds its model by
// reflection over every command's tags on each start, which for the whole
// command line costs about half a millisecond.
type (
	warnOnly struct {
		Warn warnCmd `cmd:""`
	}
	initOnly struct {
		Init initCmd `cmd:""`
	}
)

// Main runs tokenage with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if run, ok := fastPath(args); ok && os.Getenv("COMP_LINE") == "" {
		// The shell fast path (see fastPath); completions are kong's.
		return clikit.Report(name, stderr, run(clikit.Stdio{Out: stdout, Err: stderr}))
	}
	var model any = &cli{}
	if len(args) > 0 && !slices.ContainsFunc(args, isHelp) {
		switch args[0] {
		case "warn":
			model = &warnOnly{}
		case "init":
			model = &initOnly{}
		}
	}
	kctx, code, done := clikit.Parse(name, model, args, stdout, stderr,
		kong.Description("Warn, in milliseconds and without network, about credentials past the rotation age or near expiry.\n\n"+clikit.ExitCodesHelp),
	)
	if done {
		if code == clikit.ExitUsage && len(args) > 0 && args[0] == "warn" {
			return clikit.ExitOK // warn never fails the shell it runs in
		}
		return code
	}
	kctx.Bind(newBooks(), clikit.Stdio{Out: stdout, Err: stderr})
	if _, full := model.(*cli); !full {
		// warn and init run in shell startup files, whose snippets decide
		// what Ctrl-C does (see internal/shell); the process just stops.
		return clikit.Report(name, stderr, kctx.Run())
	}
	return clikit.Run(name, stderr, func(context.Context) error { return kctx.Run() })
}

// newBooks is the ledger of this environment.
func newBooks() *books {
	b := &books{getenv: os.Getenv, env: credential.OSEnv(), now: clock.Now, lockWait: 2 * time.Second}
	if dir, err := statedir.Dir(os.Getenv); err != nil {
		b.stateErr = err
	} else {
		b.ledgerPath = filepath.Join(dir, ledger.FileName)
	}
	return b
}

// isHelp: help and version are answered by the whole command line.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "--version" }

// setupErr is the first problem with the environment, as a usage or I/O error.
func (b *books) setupErr() error {
	if b.stateErr != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "set XDG_STATE_HOME or HOME", "%w", b.stateErr)
	}
	return nil
}
