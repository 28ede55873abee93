package tokencheck

import (
	"context"
	"os"
	"os/exec"
	"syscall"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
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
func (c *runCmd) Run(d *deps) error {
	if len(c.command) == 0 {
		return clikit.Errorf(clikit.ExitUsage, "put the command after --: tokencheck run hf -- python train.py", "run needs a command to start")
	}
	path, err := exec.LookPath(c.command[0])
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check the command name and PATH", "cannot start %s: %w", c.command[0], err)
	}
	reqs, err := c.requirements(d)
	if err != nil {
		return err
	}
	results := c.check(d, reqs)
	if err := context.Cause(d.ctx); err != nil {
		return err // interrupted: the job is not started
	}
	if err := verdict(results); err != nil {
		// The job's stdout is its own: the report goes to stderr.
		if werr := writeReport(d.stderr, c.Format, results, d.env); werr != nil {
			return werr
		}
		return err
	}
	d.closeLog()
	// exec, not a child: the job takes over this process, so Ctrl-C and
	// SIGTERM reach it directly and its exit status is the one reported.
	err = syscall.Exec(path, c.command, os.Environ())
	return clikit.Errorf(clikit.ExitIncomplete, "check that the command is executable", "cannot start %s: %w", c.command[0], err)
}
