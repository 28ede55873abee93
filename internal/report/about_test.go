package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// A JWT finding carries its expiry and a note; every format shows both,
// and findings without them keep their old shape.
func TestExpiresAndNoteInEveryFormat(t *testing.T) {
	jwt := scan.Finding{RuleID: "jwt", Description: "JSON Web Token carrying a credential", Provider: "jwt",
		File: ".env", Line: 3, Column: 27, Secret: "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU",
		Masked: "eyJ…ZXJl", Fingerprint: "8899aabbccddeeff",
		Expires: time.Date(2034, 6, 1, 12, 0, 0, 0, time.UTC), Note: "iss supabase, role service_role"}
	fs := append(findings(), jwt)

	var rep struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", fs, Options{})), &rep); err != nil {
		t.Fatal(err)
	}
	if got := rep.Findings[2]["expires"]; got != "2034-06-01T12:00:00Z" {
		t.Errorf("json expires = %v", got)
	}
	if got := rep.Findings[2]["note"]; got != jwt.Note {
		t.Errorf("json note = %v", got)
	}
	for _, k := range []string{"expires", "note"} {
		if _, ok := rep.Findings[0][k]; ok {
			t.Errorf("json: %s present on a finding without one", k)
		}
	}

	var log struct {
		Runs []struct {
			Results []struct {
				Properties map[string]string `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(render(t, "sarif", fs, Options{})), &log); err != nil {
		t.Fatal(err)
	}
	props := log.Runs[0].Results[2].Properties
	if props["expires"] != "2034-06-01T12:00:00Z" || props["note"] != jwt.Note {
		t.Errorf("sarif properties = %v", props)
	}
	if log.Runs[0].Results[0].Properties != nil {
		t.Errorf("sarif: properties on a plain finding: %v", log.Runs[0].Results[0].Properties)
	}

	for _, format := range []string{"text", "github"} {
		out := render(t, format, fs, Options{})
		if !strings.Contains(out, "(iss supabase, role service_role, expires 2034-06-01)") {
			t.Errorf("%s: no note and expiry:\n%s", format, out)
		}
		if strings.Contains(out, jwt.Secret) {
			t.Errorf("%s: raw secret in the report", format)
		}
	}
}
