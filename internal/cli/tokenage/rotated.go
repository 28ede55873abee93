package tokenage

import (
	"fmt"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// rotatedCmd records a rotation by hand.
type rotatedCmd struct {
	Name string `arg:"" help:"The credential: a provider (hf), a variable (HF_TOKEN), a source or a fingerprint prefix."`
	On   string `placeholder:"DATE" help:"When it was rotated, as YYYY-MM-DD (default: now)."`
}

// Help implements kong's HelpProvider.
func (rotatedCmd) Help() string {
	return `A new value under the same variable or file is noticed by itself (the old
entry is retired); use this when the ledger cannot know, for example after a
token file was restored from a backup with an old modification time. The age
of the credential NAME finds in this environment counts from now (or --on),
unless its provider reports a later creation date. A provider name picks the
credential its clients use first.

` + clikit.ExitCodesHelp + ` A NAME that matches nothing gives 2.

Examples:
  $ tokenage rotated HF_TOKEN
  $ tokenage rotated modal --on 2026-03-01`
}

// Run implements the command.
func (c *rotatedCmd) Run(b *books, std clikit.Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	when := b.now()
	if c.On != "" {
		t, err := time.Parse("2006-01-02", c.On)
		if err != nil {
			return clikit.Errorf(clikit.ExitUsage, "write the date as YYYY-MM-DD", "--on %q is not a date", c.On)
		}
		when = t
	}
	if when.After(b.now()) {
		return clikit.Errorf(clikit.ExitUsage, "give a date that has passed", "--on %s is in the future", c.On)
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
		return clikit.Errorf(clikit.ExitIncomplete, "try again; check the permissions of "+b.ledgerPath, "the rotation was not recorded: %w", err)
	}
	_, err = fmt.Fprintf(std.Out, "recorded: %s rotated on %s; its age counts from then\n", describe(picked), day(when))
	return err
}
