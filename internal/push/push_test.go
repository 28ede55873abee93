package push

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseUpdatesReadsEveryLine(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	in := "refs/heads/main " + a + " refs/heads/main " + b + "\n\n" +
		"refs/heads/feature " + b + " refs/heads/feature " + ZeroSHA + "\n" +
		"(delete) " + ZeroSHA + " refs/heads/old " + a + "\n"
	got, err := ParseUpdates(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d updates, want 3", len(got))
	}
	if got[0].NewRef() || got[0].Deletion() || !got[1].NewRef() || !got[2].Deletion() {
		t.Errorf("flags wrong: %+v", got)
	}
}

func TestParseUpdatesRejectsMalformedLines(t *testing.T) {
	for _, in := range []string{
		"refs/heads/main abc refs/heads/main def\n",
		"refs/heads/main " + strings.Repeat("a", 40) + "\n",
		"refs/heads/main " + strings.Repeat("A", 40) + " refs/heads/main " + ZeroSHA + "\n",
	} {
		if _, err := ParseUpdates(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: want an error naming line 1, got %v", in, err)
		}
	}
}

// FuzzParseUpdates: what it accepts has well-formed ids, and printing the
// updates back as pre-push lines reads back the same (round trip).
func FuzzParseUpdates(f *testing.F) {
	f.Add("refs/heads/main " + strings.Repeat("a", 40) + " refs/heads/main " + ZeroSHA + "\n")
	f.Add("refs/heads/a " + ZeroSHA + " refs/heads/b " + strings.Repeat("f", 40) + "\r\n\nrefs/tags/v1 " + strings.Repeat("1", 40) + " refs/tags/v1 " + ZeroSHA)
	f.Fuzz(func(t *testing.T, in string) {
		updates, err := ParseUpdates(strings.NewReader(in))
		if err != nil {
			return
		}
		var lines strings.Builder
		for _, u := range updates {
			if !isSHA(u.LocalSHA) || !isSHA(u.RemoteSHA) {
				t.Errorf("accepted %+v", u)
			}
			fmt.Fprintf(&lines, "%s %s %s %s\n", u.LocalRef, u.LocalSHA, u.RemoteRef, u.RemoteSHA)
		}
		again, err := ParseUpdates(strings.NewReader(lines.String()))
		if err != nil || !slices.Equal(again, updates) {
			t.Errorf("%q parsed as %+v, printed as %q, which reads back as %+v, %v", in, updates, lines.String(), again, err)
		}
	})
}
