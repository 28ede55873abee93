// Package kongcli is tokenage-cli: the kong command line over every
// tokenage command, with kong's help, errors and completion. The tokenage
// binary answers the shell's warn and init itself and hands everything else
// here (see package tokenage), so that kong's start-up cost stays out of
// every new shell.
package kongcli

import (
	"context"
	"io"

	"github.com/alecthomas/kong"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/cli/tokenage"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/config/tokenagecfg"
	"github.com/tokenguard/tokenguard/internal/credential"
)

// full are the readers of tokenage-cli: the TOML and URL libraries, which
// read every file tokenage's small readers decline.
var full = tokenage.Readers{
	Credentials: credential.Full,
	Tokenage: func(path string) (tokenagecfg.Tokenage, error) {
		f, err := config.Read(path)
		return f.Tokenage, err
	},
}

// The name users type: tokenage-cli is an implementation detail.
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

// The commands with their help (help.go); flags and Run are tokenage's.
type (
	warnCmd    struct{ tokenage.WarnCmd }
	statusCmd  struct{ tokenage.StatusCmd }
	checkCmd   struct{ tokenage.CheckCmd }
	rotatedCmd struct{ tokenage.RotatedCmd }
	forgetCmd  struct{ tokenage.ForgetCmd }
	initCmd    struct{ tokenage.InitCmd }
	rotateCmd  struct{ tokenage.RotateCmd }
)

// Main runs tokenage with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	kctx, code, done := clikit.Parse(name, &cli{}, args, stdout, stderr,
		kong.Description("Warn, in milliseconds and without network, about credentials past the rotation age or near expiry.\n\n"+clikit.ExitCodesHelp),
	)
	if done {
		if code == clikit.ExitUsage && len(args) > 0 && args[0] == "warn" {
			return clikit.ExitOK // warn never fails the shell it runs in
		}
		return code
	}
	kctx.Bind(tokenage.NewBooks(full), tokenage.Stdio{Out: stdout, Err: stderr})
	switch kctx.Command() {
	case "warn", "init <shell>":
		// warn and init run in shell startup files, whose snippets decide
		// what Ctrl-C does (see internal/shell); the process just stops.
		return clikit.Report(name, stderr, kctx.Run())
	}
	return clikit.Run(name, stderr, func(context.Context) error { return kctx.Run() })
}
