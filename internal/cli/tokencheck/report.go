package tokencheck

import (
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/token"
)

// writeReport writes the results in one of the formats, worded for this
// command.
func writeReport(w io.Writer, format string, results []token.Result, env token.Env) error {
	now := time.Now()
	results = worded(results)
	switch format {
	case "json":
		return writeJSON(w, results, now)
	case "github":
		return writeGitHub(w, results, env, now)
	default:
		return writeText(w, results, now)
	}
}

// ageDays is how old a credential is by its provider's creation date, or -1.
func ageDays(r token.Result, now time.Time) int {
	if r.CreatedAt.IsZero() {
		return -1
	}
	return int(now.Sub(r.CreatedAt).Hours() / 24)
}
