// Package hubupload is the hubupload command line: resilient uploads of files
// and folders to a Hugging Face Hub repository, with a pre-flight check of
// the token, retries, resume, progress and an all-or-nothing commit.
package hubupload

import (
	"context"
	"io"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/token"
)

const name = "hubupload"

// cli is the whole command line: one command.
type cli struct {
	AuditLog   string           `name:"audit-log" env:"TOKENGUARD_AUDIT_LOG" placeholder:"PATH" help:"Append a JSON audit entry per step to PATH (default \\$XDG_STATE_HOME/tokenguard/audit.log)."`
	NoAuditLog bool             `name:"no-audit-log" help:"Write no audit log."`
	Verbose    bool             `short:"v" help:"Also print each step and retry on stderr."`
	Version    kong.VersionFlag `help:"Print the version and exit."`

	uploadCmd `embed:""`
}

// deps is what the command's Run gets: bound once in Main.
type deps struct {
	stdout, stderr io.Writer
	log            *logrus.Logger
	env            token.Env
	ctx            context.Context
	// interrupted reports whether ctx ended because of Ctrl-C or SIGTERM.
	interrupted func() bool
}

// Main runs hubupload with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	var c cli
	kctx, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Upload files and folders to a Hugging Face Hub repository: the token is checked first, every request is retried, an interrupted upload resumes, and the commit is all or nothing."),
	)
	if done {
		return code
	}
	// Ctrl-C cancels the upload cleanly; a second one kills the process.
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		log, closeLog := clikit.OpenLog(name, stderr, c.AuditLog, c.NoAuditLog, c.Verbose)
		defer closeLog()
		d := &deps{stdout: stdout, stderr: stderr, log: log, env: token.OSEnv(), ctx: ctx,
			interrupted: func() bool { return clikit.InterruptedBy(ctx) != nil }}
		return kctx.Run(d)
	})
}
