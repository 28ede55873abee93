package report

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// TestReadJSONRoundTrip: what the JSON writer wrote reads back as the
// same findings (the secret masked), and writes again byte for byte.
func TestReadJSONRoundTrip(t *testing.T) {
	secret := "hf_q8XbT3mVnR5kLw2YcJ7pZs4HdA9uFe6GiQ"
	fs := []scan.Finding{{
		RuleID: "huggingface-token", Description: "Hugging Face token", Provider: "huggingface",
		File: "app.py", Line: 3, Column: 12, Secret: secret, Masked: "hf_…6GiQ", Fingerprint: "0123456789abcdef",
		Entropy: 4.5, Commit: "c0ffee", Author: "A", Email: "a@x", Date: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Verification: "valid", Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Note: "username alice",
		Informational: true, Repository: "space alice/app", Link: "https://hf.co/spaces/alice/app/blob/c0ffee/app.py#L3",
	}}
	ns := []NotScanned{{Path: "model a/b: w.bin", Commit: "abc", Reason: "LFS object not downloaded (2 KiB)"},
		{Path: "model a/c", Reason: "not read: 404", Incomplete: true}}
	var first bytes.Buffer
	if err := (JSON{}).Write(&first, fs, Options{NotScanned: ns, Shard: "2/3"}); err != nil {
		t.Fatal(err)
	}
	p, err := ReadJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := fs[0]
	want.Secret = "" // never in a redacted report
	if !reflect.DeepEqual(p.Findings, []scan.Finding{want}) || !reflect.DeepEqual(p.NotScanned, ns) || p.Shard != "2/3" {
		t.Errorf("read back\n%+v\n%+v %q", p.Findings, p.NotScanned, p.Shard)
	}
	var second bytes.Buffer
	if err := (JSON{}).Write(&second, p.Findings, Options{NotScanned: p.NotScanned, Shard: p.Shard}); err != nil {
		t.Fatal(err)
	}
	if second.String() != first.String() {
		t.Errorf("rewritten\n%s\nwant\n%s", second.String(), first.String())
	}

	// Written with --no-redact: the raw value stays in Secret only.
	first.Reset()
	if err := (JSON{}).Write(&first, fs, Options{NoRedact: true}); err != nil {
		t.Fatal(err)
	}
	p, err = ReadJSON(&first)
	if err != nil {
		t.Fatal(err)
	}
	if p.Findings[0].Secret != secret || p.Findings[0].Masked != "hf_…6GiQ" {
		t.Errorf("no-redact report read as secret set %v, masked %q", p.Findings[0].Secret == secret, p.Findings[0].Masked)
	}
}

func TestReadJSONRefusesWhatIsNotAReport(t *testing.T) {
	for name, in := range map[string]string{
		"empty":           "",
		"truncated":       `{"findings": [], "not_scanned": [`,
		"foreign object":  `{"results": []}`,
		"no not_scanned":  `{"findings": []}`,
		"an array":        `[]`,
		"SARIF":           `{"version": "2.1.0", "runs": []}`,
		"two objects":     `{"findings": [], "not_scanned": []} {}`,
		"finding no rule": `{"findings": [{"file": "a"}], "not_scanned": []}`,
		"bad date":        `{"findings": [{"rule": "r", "file": "a", "date": "yesterday"}], "not_scanned": []}`,
	} {
		if _, err := ReadJSON(strings.NewReader(in)); !errors.Is(err, ErrNotReport) {
			t.Errorf("%s: %v, want ErrNotReport", name, err)
		}
	}
}
