package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// TestRemoteFindingsCarryTheirLink checks that a finding in a Hub
// repository names the repository and its link in every format, and that
// SARIF locates it by the link.
func TestRemoteFindingsCarryTheirLink(t *testing.T) {
	link := "https://huggingface.co/spaces/alice/app/blob/0123456789abcdef0123456789abcdef01234567/app.py#L3"
	f := scan.Finding{RuleID: "huggingface-token", Description: "Hugging Face token", File: "app.py", Line: 3, Column: 1,
		Masked: "hf_…wxyz", Commit: "0123456789abcdef0123456789abcdef01234567", Repository: "space alice/app", Link: link}
	for _, format := range Formats() {
		w, _ := Lookup(format)
		var buf bytes.Buffer
		if err := w.Write(&buf, []scan.Finding{f}, Options{Tool: "secretscan"}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, link) || !strings.Contains(out, "alice/app") {
			t.Errorf("%s does not name the repository and link:\n%s", format, out)
		}
		if format == "sarif" {
			var log struct {
				Runs []struct {
					Results []struct {
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct {
									URI       string `json:"uri"`
									URIBaseID string `json:"uriBaseId"`
								} `json:"artifactLocation"`
							} `json:"physicalLocation"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			a := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
			if a.URI != link || a.URIBaseID != "" {
				t.Errorf("SARIF artifact location %+v, want the link without a base", a)
			}
		}
	}
}
