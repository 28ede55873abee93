package tokenage

import (
	"fmt"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// RotatedCmd records a rotation by hand.
type RotatedCmd struct {
	Name string `arg:"" help:"The credential: a provider (hf), a variable (HF_TOKEN), a source or a fingerprint prefix."`
	On   string `placeholder:"DATE" help:"When it was rotated, as YYYY-MM-DD (default: now)."`
}

// Run implements the command.
func (c *RotatedCmd) Run(b *Books, std Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	when := b.now()
	if c.On != "" {
		t, err := time.Parse("2006-01-02", c.On)
		if err != nil {
			return exitcode.Errorf(exitcode.Usage, "write the date as YYYY-MM-DD", "--on %q is not a date", c.On)
		}
		when = t
	}
	if when.After(b.now()) {
		return exitcode.Errorf(exitcode.Usage, "give a date that has passed", "--on %s is in the future", c.On)
	}
	var picked item
	var pickErr error
	_, _, err := b.survey(settings{policy: ledger.Policy{Default: ledger.DefaultLimits}}, inUse, func(l *ledger.Ledger, items []item) bool {
		found, err := pick(items, c.Name)
		if err != nil {
			pickErr = err
			return false
		}
		picked = found[0] // the one the clients use first
		l.Entries[picked.fp].RotatedAt = when.UTC()
		return true
	})
	if pickErr != nil {
		return pickErr
	}
	if err != nil {
		return exitcode.Errorf(exitcode.Incomplete, "try again; check the permissions of "+b.ledgerPath, "the rotation was not recorded: %w", err)
	}
	_, err = fmt.Fprintf(std.Out, "recorded: %s rotated on %s; its age counts from then\n", describe(picked), day(when))
	return err
}
