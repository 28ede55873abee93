package tokencheck

import (
	"slices"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/token"
)

// TestWordedGivesEachKindTokencheckHint pins the words tokencheck puts on
// the verdicts the engine leaves to the command.
func TestWordedGivesEachKindTokencheckHint(t *testing.T) {
	notes := make([]string, 1, 4) // room to grow: appending must not write into it
	notes[0] = "format note"
	in := []token.Result{
		{Status: token.Unknown, Kind: token.KindUnreachable, Reason: "could not reach Modal at x: refused"},
		{Status: token.Expired, Kind: token.KindExpiresInWindow, ValidFor: 6 * time.Hour, Reason: "the token expires in 1h59m (2026-01-02 03:04 UTC)"},
		{Status: token.Insufficient, Kind: token.KindRepoNotFound, Reason: "dataset a/b does not exist or is not visible to this token"},
		{Status: token.WellFormed, Notes: notes},
		{Status: token.Invalid, Reason: "rejected", Hint: "the engine's hint"},
	}
	before := slices.Clone(in)
	got := worded(in)
	want := []struct{ reason, hint string }{
		{"could not reach Modal at x: refused", "check the network and the endpoint, then run tokencheck again"},
		{"the token expires in 1h59m (2026-01-02 03:04 UTC), before the job's --valid-for 6h0m0s ends", "create a token that lives longer than the job, or shorten --valid-for"},
		{"dataset a/b does not exist or is not visible to this token", "check the repository id and type (--repo ID:dataset), or create it first (hubupload --create)"},
		{"", ""},
		{"rejected", "the engine's hint"},
	}
	for i, w := range want {
		if got[i].Reason != w.reason || got[i].Hint != w.hint {
			t.Errorf("result %d: reason %q, hint %q; want %q, %q", i, got[i].Reason, got[i].Hint, w.reason, w.hint)
		}
	}
	if n := got[3].Notes; !slices.Equal(n, []string{"format note", "format checked only (--offline): no service was asked"}) {
		t.Errorf("offline notes = %q", n)
	}
	for i := range in {
		if in[i].Reason != before[i].Reason || in[i].Hint != before[i].Hint || len(in[i].Notes) != len(before[i].Notes) {
			t.Errorf("worded changed its input %d: %+v", i, in[i])
		}
	}
	if notes[:2][1] != "" {
		t.Errorf("worded wrote into the caller's notes array: %q", notes[:2])
	}
}
