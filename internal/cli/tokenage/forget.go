package tokenage

import (
	"fmt"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// ForgetCmd removes entries.
type ForgetCmd struct {
	Name string `arg:"" help:"The credentials: a provider (hf: all of its entries), a variable (HF_TOKEN), a source or a fingerprint prefix."`
}

// Run implements the command.
func (c *ForgetCmd) Run(b *Books, std Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	var removed []item
	var pickErr error
	// Observing first would re-add what is being forgotten: forget works on
	// the ledger alone, with the environment only to name things.
	creds, _, _ := found(b.env, b.readers.Credentials)
	store := ledger.Open(b.ledgerPath)
	_, err := store.Update(func(l *ledger.Ledger) bool {
		items := b.items(settings{policy: ledger.Policy{Default: ledger.DefaultLimits}}, l, creds, everyID)
		var known []item
		for _, it := range items {
			if l.Entries[it.fp] != nil {
				known = append(known, it)
			}
		}
		removed, pickErr = pick(known, c.Name)
		for _, it := range removed {
			delete(l.Entries, it.fp)
		}
		return len(removed) > 0
	})
	if pickErr != nil {
		return pickErr
	}
	if err != nil {
		return exitcode.Errorf(exitcode.Incomplete, "try again; check the permissions of "+b.ledgerPath, "nothing was forgotten: %w", err)
	}
	for _, it := range removed {
		if _, err := fmt.Fprintf(std.Out, "forgotten: %s\n", describe(it)); err != nil {
			return err
		}
	}
	return nil
}
