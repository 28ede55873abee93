package tokencheck

import (
	"fmt"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/report/workflow"
	"github.com/tokenguard/tokenguard/internal/token"
)

// writeGitHub writes GitHub Actions workflow commands: ::add-mask:: for every
// value read, only when a runner reads the output (GITHUB_ACTIONS=true: the
// runner then hides the value from all later log lines; this is the one
// place a value is written, because the runner needs it to mask it), an
// annotation per result, then the table for the log.
func writeGitHub(w io.Writer, results []token.Result, env token.Env, now time.Time) error {
	for _, p := range token.Providers() {
		for _, c := range p.Discover(env) {
			for _, v := range []string{c.Value, c.Secret} {
				if err := workflow.AddMask(w, env.Getenv, v); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range results {
		level := "notice"
		switch {
		case r.Status == token.Missing && !r.Required:
			level = "warning"
		case !r.Status.Good() && r.Required:
			level = "error"
		case !r.Status.Good():
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
		if err := workflow.Command(w, level, []workflow.Property{{Key: "title", Value: "tokencheck " + r.Provider}}, msg); err != nil {
			return err
		}
	}
	return writeText(w, results, now)
}
