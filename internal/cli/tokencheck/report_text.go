package tokencheck

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/tokenguard/tokenguard/internal/token"
)

// writeText writes a table, then one paragraph per result that needs words.
func writeText(w io.Writer, results []token.Result, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tSTATUS\tCREDENTIAL\tSOURCE\tIDENTITY\tROLE\tAGE\tEXPIRES")
	for _, r := range results {
		age := "-"
		if d := ageDays(r, now); d >= 0 {
			age = strconv.Itoa(d) + "d"
		}
		expires := "-"
		if !r.ExpiresAt.IsZero() {
			expires = r.ExpiresAt.UTC().Format("2006-01-02 15:04")
		}
		status := string(r.Status)
		if r.Cached {
			status += " (cached)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Provider, status, dash(r.Masked), dash(r.Source),
			dash(r.Identity), dash(r.Role), age, expires)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if r.Status == token.Missing && !r.Required {
			continue // informational: the table says it
		}
		if r.Reason != "" {
			fmt.Fprintf(w, "\n%s: %s: %s\n", r.Provider, r.Status, r.Reason)
			if r.Hint != "" {
				fmt.Fprintf(w, "  hint: %s\n", r.Hint)
			}
		}
		for _, n := range r.Notes {
			fmt.Fprintf(w, "%s: note: %s\n", r.Provider, n)
		}
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
