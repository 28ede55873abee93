package tokenage

import (
	"fmt"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// CheckCmd is the age policy as an exit code.
type CheckCmd struct {
	PolicyFlags
	Format string `short:"f" default:"text" enum:"text,json" help:"Output format: ${enum}."`
}

// Run implements the command.
func (c *CheckCmd) Run(b *Books, std Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	s, err := c.load(b)
	if err != nil {
		return err
	}
	items, unread, err := b.survey(s, inUse, nil)
	if items == nil {
		return exitcode.Errorf(exitcode.Incomplete, "check the permissions of "+b.ledgerPath, "%w", err)
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
	return exitcode.Errorf(exitcode.Policy, "rotate the credentials, or raise max_age in [tokenage] of .tokenguard.toml",
		"%s", failed[last])
}
