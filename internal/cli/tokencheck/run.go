package tokencheck

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/token"
)

// runCmd validates, then replaces itself with the job.
type runCmd struct {
	checkFlags
	command []string // everything after --, set by Main
}

// Help implements kong's HelpProvider.
func (runCmd) Help() string {
	return `Checks the requirements like the check command, then replaces itself with
COMMAND (exec), so signals and the exit status are the command's own. If any
requirement fails, COMMAND is never started: the report goes to stderr and the
exit code is 1 (or 3 when a service could not be reached). On success nothing
is printed.

` + clikit.ExitCodesHelp + `

Examples:
  $ tokencheck run hf:write modal -- python train.py --epochs 3
  $ tokencheck run --repo alice/llama-ft -- hubupload alice/llama-ft ./out`
}

// Run implements the command.
func (c *runCmd) Run(ctx context.Context, log *logrus.Logger, closeLog closeLog, env token.Env, cfg configFile, timeout time.Duration, std clikit.Stdio) error {
	if len(c.command) == 0 {
		return clikit.Errorf(clikit.ExitUsage, "put the command after --: tokencheck run hf -- python train.py", "run needs a command to start")
	}
	path, err := exec.LookPath(c.command[0])
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check the command name and PATH", "cannot start %s: %w", c.command[0], err)
	}
	reqs, err := c.requirements(cfg)
	if err != nil {
		return err
	}
	results := c.check(ctx, log, env, timeout, reqs)
	if err := context.Cause(ctx); err != nil {
		return err // interrupted: the job is not started
	}
	if err := verdict(results); err != nil {
		// The job's stdout is its own: the report goes to stderr.
		if werr := writeReport(std.Err, c.Format, results, env); werr != nil {
			return werr
		}
		return err
	}
	closeLog()
	// exec, not a child: the job takes over this process, so Ctrl-C and
	// SIGTERM reach it directly and its exit status is the one reported.
	err = syscall.Exec(path, c.command, os.Environ())
	return clikit.Errorf(clikit.ExitIncomplete, "check that the command is executable", "cannot start %s: %w", c.command[0], err)
}
