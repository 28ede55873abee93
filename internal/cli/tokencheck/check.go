package tokencheck

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/token"
)

// checkCmd validates credentials and prints a report.
type checkCmd struct {
	checkFlags
}

// Help implements kong's HelpProvider.
func (checkCmd) Help() string {
	return `Without requirements, every credential found is checked and missing ones are
only reported. Requirements come from the arguments, -r/--require, or
"[tokencheck] require = [...]" in .tokenguard.toml. Successful live checks are
cached for 10 minutes in $XDG_STATE_HOME/tokenguard/cache.json (fingerprints
only, never values).

With --offline only the format is checked and a credential that passes is
"well-formed", never "valid": only a live check says valid.

A credential file that exists but cannot be used (a named pipe or device in
its place, a directory, unreadable, over 64 KiB, malformed TOML or netrc) is
"unreadable", with the file and what is wrong, never "missing".

` + clikit.ExitCodesHelp + ` A required credential that is invalid,
expired, missing or lacks a role gives 1 (also when another could not be
checked: both are named); a service that cannot be reached after retries, or
an unreadable credential file, gives 3.

Examples:
  $ tokencheck
  $ tokencheck hf:write modal wandb
  $ tokencheck --repo alice/llama-ft --valid-for 6h
  $ tokencheck -f github hf:write     # in GitHub Actions`
}

// Run implements the command.
func (c *checkCmd) Run(ctx context.Context, log *logrus.Logger, env token.Env, cfg configFile, timeout time.Duration, std clikit.Stdio) error {
	reqs, err := c.requirements(cfg)
	if err != nil {
		return err
	}
	results := c.check(ctx, log, env, timeout, reqs)
	if err := context.Cause(ctx); err != nil {
		return err // interrupted: the results would blame the network
	}
	if err := writeReport(std.Out, c.Format, results, env); err != nil {
		return err
	}
	return verdict(results)
}
