package ledger

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// written is a ledger as Update writes it, with every field set.
func written(t testing.TB) string {
	l := New()
	at := time.Date(2026, 3, 4, 5, 6, 7, 891011121, time.UTC)
	l.Entries["0123456789abcdef"] = &Entry{Provider: "hf", Sources: []string{"env HF_TOKEN", "file ~/.cache/huggingface/token"},
		FirstSeen: at, FileTime: at.Add(-time.Hour), CreatedAt: at.Add(-2 * time.Hour), ExpiresAt: at.Add(90 * 24 * time.Hour),
		CheckedAt: at, RotatedAt: at, Replaces: "fedcba9876543210", RetiredAt: at, ReplacedBy: "00112233445566ff", WarnedAt: at}
	l.Entries["fedcba9876543210"] = &Entry{Provider: "github", Sources: []string{}, FirstSeen: at.In(time.FixedZone("x", 3600))}
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data) + "\n"
}

var jsonCases = []string{
	`{"version": 1, "credentials": {}}`,
	`{"credentials": {"a": {"provider": "hf", "first_seen": "2026-01-02T03:04:05Z"}}, "version": 1}`,
	`{"version": 2, "credentials": {}}`,
	`{"version": 0, "credentials": {}}`,
	`{"version": 1, "credentials": {"a": {"provider": "hf"}}}`,
	`{"version": 1, "credentials": {"": {"provider": "hf", "first_seen": "2026-01-02T03:04:05Z"}}}`,
	`{"version": 1, "credentials": {"a": {"provider": "hf", "first_seen": "2026-01-02T03:04:05+01:00", "sources": []}}}`,
	// For encoding/json: escapes, null, keys in another case, repeated keys, other numbers, bad times.
	`{"version": 1, "credentials": {"a": {"provider": "h\u0066", "first_seen": "2026-01-02T03:04:05Z"}}}`,
	`{"version": 1, "credentials": {"a": null}}`,
	`{"version": 1, "credentials": null}`,
	`{"Version": 1, "credentials": {}}`,
	`{"version": 1, "credentials": {"a": {"Provider": "hf", "first_seen": "2026-01-02T03:04:05Z"}}}`,
	`{"version": 1, "version": 2, "credentials": {}}`,
	`{"version": 1, "credentials": {"a": {"provider": "x", "provider": "hf", "first_seen": "2026-01-02T03:04:05Z"}}}`,
	`{"version": 1.0, "credentials": {}}`,
	`{"version": 01, "credentials": {}}`,
	`{"version": -1, "credentials": {}}`,
	`{"version": 1, "credentials": {"a": {"provider": "hf", "first_seen": "2026-13-02T03:04:05Z"}}}`,
	`{"version": 1, "credentials": {"a": {"provider": "hf", "first_seen": "yesterday"}}}`,
	`{"version": 1, "credentials": {"a": {"provider": 5, "first_seen": "2026-01-02T03:04:05Z"}}}`,
	`{"version": 1, "credentials": {"a": {"provider": "hf", "first_seen": "2026-01-02T03:04:05Z", "extra": 1}}}`,
	`{"version": 1, "credentials": {}} trailing`,
	`{"version": 1, "credentials": {},}`,
	"{\"version\": 1, \"credentials\": {\"a\\u0000\": {}}}",
	"{\"version\": 1, \"credentials\": {\"\xff\": {}}}",
	`{"version": 1}`,
	`[]`,
	``,
}

// decode gives the same ledger and error whether the small decoder or
// encoding/json reads the file.
func TestSmallDecoderAgreesWithJSON(t *testing.T) {
	accepted := 0
	for _, doc := range append(jsonCases, written(t)) {
		if agreeJSON(t, doc) {
			accepted++
		}
	}
	if accepted < 6 || accepted == len(jsonCases)+1 {
		t.Errorf("accepted %d of %d cases: the table should hold both kinds", accepted, len(jsonCases)+1)
	}
	// What Update writes is what the small decoder reads: the shell's case.
	if _, _, ok := decodeSmall([]byte(written(t))); !ok {
		t.Errorf("the small decoder declines what Update writes:\n%s", written(t))
	}
}

func FuzzDecode(f *testing.F) {
	for _, doc := range append(jsonCases, written(f)) {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) { agreeJSON(t, doc) })
}

func agreeJSON(t *testing.T, doc string) bool {
	t.Helper()
	_, _, accepted := decodeSmall([]byte(doc))
	got, gotErr := decodeWith("p", []byte(doc), true)
	want, wantErr := decodeWith("p", []byte(doc), false)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		t.Errorf("%q (small decoder accepted: %v):\n got %#v, %v\nwant %#v, %v", doc, accepted, got, gotErr, want, wantErr)
	}
	return accepted
}
