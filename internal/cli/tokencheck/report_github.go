package tokencheck

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/token"
)

// writeGitHub writes GitHub Actions workflow commands: ::add-mask:: for every
// value read (the runner then hides it from all later log lines; this is the
// one place a value is written, because the runner needs it to mask it), an
// annotation per result, then the table for the log.
func writeGitHub(w io.Writer, results []token.Result, env token.Env, now time.Time) error {
	for _, p := range token.Providers() {
		for _, c := range p.Discover(env) {
			for _, v := range []string{c.Value, c.Secret} {
				if v != "" && !strings.ContainsAny(v, "\r\n") {
					fmt.Fprintf(w, "::add-mask::%s\n", v)
				}
			}
		}
	}
	for _, r := range results {
		level := "notice"
		switch {
		case r.Status == token.Missing && !r.Required:
			level = "warning"
		case r.Status != token.Valid && r.Required:
			level = "error"
		case r.Status != token.Valid:
			level = "warning"
		}
		msg := fmt.Sprintf("%s is %s", r.Provider, r.Status)
		if r.Source != "" {
			msg += " (" + r.Source + ")"
		}
		if r.Reason != "" {
			msg += ": " + r.Reason
		}
		if r.Hint != "" {
			msg += "\nhint: " + r.Hint
		}
		for _, n := range r.Notes {
			msg += "\nnote: " + n
		}
		fmt.Fprintf(w, "::%s title=%s::%s\n", level, escapeProperty("tokencheck "+r.Provider), escapeData(msg))
	}
	return writeText(w, results, now)
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
