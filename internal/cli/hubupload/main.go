// Package hubupload is the hubupload command line: resilient uploads of files
// and folders to a Hugging Face Hub repository, with a pre-flight check of
// the token, retries, resume, progress and an all-or-nothing commit.
package hubupload

import (
	"context"
	"io"
	"time"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/token"
)

const name = "hubupload"

// cli is the whole command line: one command.
type cli struct {
	clikit.Common `embed:""`

	uploadCmd `embed:""`
}

// deps is what the upload's steps share, gathered by Run from what kong
// binds.
type deps struct {
	stdout, stderr io.Writer
	log            *logrus.Logger
	env            token.Env
	ctx            context.Context
	timeout        time.Duration // of the pre-flight check
	// interrupted reports whether ctx ended because of Ctrl-C or SIGTERM.
	interrupted func() bool
}

// Main runs hubupload with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	var c cli
	kctx, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Upload files and folders to a Hugging Face Hub repository: the token is checked first, every request is retried, an interrupted upload resumes, and the commit is all or nothing."),
		kong.Vars{
			"verbose_help":    "Also print each step and retry on stderr.",
			"timeout_help":    "Give up on the pre-flight check of the token after this long, retries included.",
			"timeout_default": "60s",
		},
	)
	if done {
		return code
	}
	// Ctrl-C cancels the upload cleanly; a second one kills the process.
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		log, closeLog := c.OpenLog(name, stderr)
		defer closeLog()
		kctx.BindTo(ctx, (*context.Context)(nil))
		kctx.Bind(log, token.OSEnv(), c.Timeout, clikit.Stdio{Out: stdout, Err: stderr})
		return kctx.Run()
	})
}
