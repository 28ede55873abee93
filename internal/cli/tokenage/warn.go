package tokenage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/ledger"
)

// WarnCmd is the shell fast path.
type WarnCmd struct {
	PolicyFlags
	RemindEvery Age           `name:"remind-every" placeholder:"AGE" help:"Repeat a warning about the same credential at most once per AGE, e.g. 1d (default: in every new shell, or remind_every in the configuration)."`
	Timeout     time.Duration `default:"300ms" help:"Give up silently after this long; 0 waits as long as it takes."`
}

// Run implements the command. A hung disk or a held lock must not hold the
// shell beyond --timeout: a timer then writes one line and ends the process
// with exit 0, whatever the work is doing (the ledger is replaced by rename,
// so an exit never leaves it half written). The output is written in one
// piece after the work, so a run that gives up prints nothing of it.
func (c *WarnCmd) Run(b *Books, std Stdio) error {
	var timer *time.Timer
	gaveUp := make(chan struct{})
	if c.Timeout > 0 {
		b.lockWait = c.Timeout / 2
		timer = time.AfterFunc(c.Timeout, func() {
			fmt.Fprintf(std.Err, "%s: warning: gave up after %s (slow disk or a busy ledger); run '%s status' to see the ages\n", name, c.Timeout, name)
			close(gaveUp)
			b.exit(0)
		})
	}
	var out bytes.Buffer
	declined := c.warn(b, &out)
	if timer != nil && !timer.Stop() {
		<-gaveUp // the timer wrote its line and is ending the process
		return nil
	}
	if declined {
		return errDeclined // nothing was written: tokenage-cli does it all again
	}
	if out.Len() > 0 {
		std.Err.Write(out.Bytes()) // a closed terminal is no reason to fail either
	}
	return nil
}

// warn writes the warnings, and at most one line about a problem, to w. It
// reports whether a small reader declined a file (see Readers).
func (c *WarnCmd) warn(b *Books, w io.Writer) (declined bool) {
	problem := func(err error) { fmt.Fprintf(w, "%s: warning: %v\n", name, err) }
	if b.stateErr != nil {
		problem(b.stateErr)
		return false
	}
	s, err := c.load(b)
	if errors.Is(err, errDeclined) {
		return true
	}
	if err != nil {
		// A broken configuration must not silence the warnings: use the defaults.
		problem(err)
		s = settings{policy: ledger.Policy{Default: ledger.DefaultLimits}}
	}
	if c.RemindEvery.set {
		s.remindEvery = c.RemindEvery.d
	}
	now := b.now()
	var shown []item
	choose := func(items []item) []item {
		var out []item
		for _, it := range items {
			if it.ignored || !it.a.Warn() {
				continue
			}
			if s.remindEvery > 0 && !it.entry.WarnedAt.IsZero() && now.Sub(it.entry.WarnedAt) < s.remindEvery {
				continue
			}
			out = append(out, it)
		}
		return out
	}
	// What to show is decided inside the update, before WarnedAt is
	// recorded, so that of shells starting together only one repeats a
	// quieted warning.
	_, unread, err := b.survey(s, inUse, func(l *ledger.Ledger, items []item) bool {
		shown = choose(items)
		if s.remindEvery <= 0 {
			return false
		}
		for _, it := range shown {
			l.Entries[it.fp].WarnedAt = now.UTC()
		}
		return len(shown) > 0
	})
	var corrupt *ledger.CorruptError
	switch {
	case errors.Is(err, errDeclined):
		return true
	case errors.As(err, &corrupt):
		problem(corrupt)
	case errors.Is(err, ledger.ErrBusy):
		// Another shell is writing; the next one records what this one found.
	case err != nil:
		problem(err)
	}
	for _, e := range unread {
		problem(e)
	}
	for _, it := range shown {
		fmt.Fprintf(w, "%s: warning: %s\n", name, warning(it))
	}
	return false
}

// warning is the one line about a credential that needs attention.
func warning(it item) string {
	a := it.a
	switch a.State {
	case ledger.Expired:
		return fmt.Sprintf("%s expired on %s — replace it: %s", it.label(), day(it.entry.ExpiresAt), it.rotateHint())
	case ledger.Expiring:
		return fmt.Sprintf("%s expires in %s (%s) — replace it: %s", it.label(), span(a.Left), day(it.entry.ExpiresAt), it.rotateHint())
	case ledger.TooOld:
		return fmt.Sprintf("%s is %s old — rotate it: %s", it.label(), ledger.FormatDays(a.Age), it.rotateHint())
	default:
		return fmt.Sprintf("%s is %s old; rotation due in %s — rotate it: %s", it.label(), ledger.FormatDays(a.Age), span(a.Left), it.rotateHint())
	}
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// span writes a time left: days, rounded up as people count a deadline
// ("due in 10 days" with 9 days and 23 hours left), or hours under a day.
func span(d time.Duration) string {
	if d >= 24*time.Hour {
		return ledger.FormatDays(d + 24*time.Hour - 1)
	}
	if h := int(d / time.Hour); h > 1 {
		return fmt.Sprintf("%d hours", h)
	}
	return "less than 2 hours"
}
