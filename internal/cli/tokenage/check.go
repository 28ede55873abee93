package tokenage

import (
	"fmt"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
)

// checkCmd is the age policy as an exit code.
type checkCmd struct {
	policyFlags
	Format string `short:"f" default:"text" enum:"text,json" help:"Output format: ${enum}."`
}

// Help implements kong's HelpProvider.
func (checkCmd) Help() string {
	return `Judges the credentials of this environment like warn, prints the same table as
status on stdout, and fails when one is past the maximum age or past its
known expiry. Credentials that are only due soon, or ignored in the
configuration, do not fail. No network: to record the creation dates Hugging
Face and Modal report, run tokencheck first.

` + clikit.ExitCodesHelp + ` A credential past the maximum age or expired
gives 1; a bad flag or configuration file gives 2; a credential file that
cannot be read or parsed gives 3.

Examples:
  $ tokenage check
  $ tokenage check --max-age 30d -f json`
}

// Run implements the command.
func (c *checkCmd) Run(b *books, std clikit.Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	s, err := c.load(b)
	if err != nil {
		return err
	}
	items, unread, err := b.survey(s, inUse, nil)
	if items == nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check the permissions of "+b.ledgerPath, "%w", err)
	}
	warnLedger(std.Err, err)
	if err := write(std.Out, c.Format, items, b.now()); err != nil {
		return err
	}
	var failed []string
	for _, it := range items {
		if !it.ignored && it.a.Failing() {
			failed = append(failed, warning(it))
		}
	}
	// A credential too old fails the check (exit 1) even when a file could
	// not be read; every line is printed either way.
	if err := unreadError(std.Err, unread, len(failed) > 0); err != nil || len(failed) == 0 {
		return err
	}
	// One error line per failing credential, in report order; the last
	// carries the hint.
	last := len(failed) - 1
	for _, f := range failed[:last] {
		fmt.Fprintf(std.Err, "%s: error: %s\n", name, f)
	}
	return clikit.Errorf(clikit.ExitPolicy, "rotate the credentials, or raise max_age in [tokenage] of .tokenguard.toml",
		"%s", failed[last])
}
