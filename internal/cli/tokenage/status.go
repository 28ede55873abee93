package tokenage

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/credential/lite"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// StatusCmd shows the ledger.
type StatusCmd struct {
	PolicyFlags
	All    bool   `short:"a" help:"Also list retired credentials (replaced by a new value)."`
	Format string `short:"f" default:"text" enum:"text,json" help:"Output format: ${enum}."`
}

// Run implements the command.
func (c *StatusCmd) Run(b *Books, std Stdio) error {
	if err := b.setupErr(); err != nil {
		return err
	}
	s, err := c.load(b)
	if err != nil {
		return err
	}
	sc := known
	if c.All {
		sc = everyID
	}
	items, unread, err := b.survey(s, sc, nil)
	if items == nil {
		return exitcode.Errorf(exitcode.Incomplete, "check the permissions of "+b.ledgerPath, "%w", err)
	}
	warnLedger(std.Err, err)
	if err := write(std.Out, c.Format, items, b.now()); err != nil {
		return err
	}
	return unreadError(std.Err, unread, false)
}

// warnLedger says once on stderr that the ledger was set aside or not saved.
func warnLedger(stderr io.Writer, err error) {
	if err != nil {
		fmt.Fprintf(stderr, "%s: warning: %v\n", name, err)
	}
}

// unreadError names the credential files that could not be used: the
// report is then incomplete (exit 3). With more to say (more is true), all
// of them are printed here and nil is returned.
func unreadError(stderr io.Writer, unread []*lite.FileError, more bool) error {
	for i, e := range unread {
		if i == len(unread)-1 && !more {
			return exitcode.Errorf(exitcode.Incomplete, e.Hint, "%s", e)
		}
		fmt.Fprintf(stderr, "%s: error: %s\n", name, e)
	}
	return nil
}

// write renders items in a format.
func write(w io.Writer, format string, items []item, now time.Time) error {
	if format == "json" {
		return writeJSON(w, items, now)
	}
	return writeText(w, items)
}

// writeText is the table.
func writeText(w io.Writer, items []item) error {
	if len(items) == 0 {
		_, err := fmt.Fprintln(w, "no credentials found (tokenage looks where the clients do: see tokencheck --help)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tCREDENTIAL\tSOURCE\tAGE\tSINCE\tFROM\tEXPIRES\tSTATE")
	for _, it := range items {
		masked, source := "-", "(not found here)"
		if it.cred != nil {
			masked, source = it.cred.Masked(), it.cred.Source
		} else if len(it.entry.Sources) > 0 {
			source = it.entry.Sources[0] + " (not found here)"
		}
		expires := "-"
		if !it.entry.ExpiresAt.IsZero() {
			expires = day(it.entry.ExpiresAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.entry.Provider, masked, source,
			ledger.FormatDays(it.a.Age), day(it.a.Since), it.a.Provenance, expires, state(it))
	}
	return tw.Flush()
}

// state is the STATE column: the verdict, or why there is none.
func state(it item) string {
	switch {
	case it.entry.Retired():
		return "retired " + day(it.entry.RetiredAt)
	case it.ignored:
		return "ignored"
	case it.a.State == ledger.DueSoon:
		return "rotate within " + span(it.a.Left)
	case it.a.State == ledger.TooOld:
		return "too old (max " + ledger.FormatDays(it.limits.MaxAge) + ")"
	case it.a.State == ledger.Expiring:
		return "expires in " + span(it.a.Left)
	}
	return string(it.a.State)
}
