package tokencheck

import (
	"fmt"
	"slices"

	"github.com/tokenguard/tokenguard/internal/token"
)

// worded returns the results with what only this command can word: the
// next steps that name its flags or itself (the engine leaves them to the
// command, see token.Kind), and the note on an offline run.
func worded(results []token.Result) []token.Result {
	out := slices.Clone(results)
	for i := range out {
		word(&out[i])
	}
	return out
}

func word(r *token.Result) {
	if r.Status == token.WellFormed {
		// Clip: the notes may share an array with the caller's result.
		r.Notes = append(slices.Clip(r.Notes), "format checked only (--offline): no service was asked")
	}
	switch r.Kind {
	case token.KindUnreachable:
		r.Hint = "check the network and the endpoint, then run tokencheck again"
	case token.KindExpiresInWindow:
		r.Reason += fmt.Sprintf(", before the job's --valid-for %s ends", r.ValidFor)
		r.Hint = "create a token that lives longer than the job, or shorten --valid-for"
	case token.KindRepoNotFound:
		r.Hint = "check the repository id and type (--repo ID:dataset), or create it first (hubupload --create)"
	}
}
