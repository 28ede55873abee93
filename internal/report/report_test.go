package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

const rawSecret = "hf_bPlNFGdSC2wd8f2QnFhk5A84JJjKWZdKH9"

func findings() []scan.Finding {
	return []scan.Finding{
		{RuleID: "huggingface-token", Description: "Hugging Face user access token", Provider: "huggingface",
			File: "src/train.py", Line: 4, Column: 14, Secret: rawSecret, Masked: "hf_…dKH9", Fingerprint: "54c8cbb8d365a6d5", Entropy: 4.7},
		{RuleID: "generic-secret", Description: "Secret-looking assignment", Provider: "generic",
			File: "dir with space/a,b:c.env", Line: 1, Column: 1, Secret: "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy", Masked: "…qshy", Fingerprint: "0011223344556677",
			Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Ann", Email: "ann@example.com", Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Verification: "invalid"},
	}
}

func render(t *testing.T, format string, fs []scan.Finding, opts Options) string {
	t.Helper()
	w, ok := Lookup(format)
	if !ok {
		t.Fatalf("no format %s", format)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, fs, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestEveryFormatRedactsByDefault(t *testing.T) {
	for _, format := range Formats() {
		out := render(t, format, findings(), Options{})
		if strings.Contains(out, rawSecret) || strings.Contains(out, "O1QUMRt40hCHJLYdq1fkZxK") {
			t.Errorf("%s: raw secret in the report:\n%s", format, out)
		}
		if !strings.Contains(out, "hf_…dKH9") {
			t.Errorf("%s: masked secret missing:\n%s", format, out)
		}
		if out := render(t, format, findings(), Options{NoRedact: true}); !strings.Contains(out, rawSecret) {
			t.Errorf("%s: --no-redact does not show the value", format)
		}
	}
}

func TestJSONSchema(t *testing.T) {
	var rep struct {
		Findings   []map[string]any `json:"findings"`
		NotScanned []map[string]any `json:"not_scanned"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", findings(), Options{NotScanned: notScanned()})), &rep); err != nil {
		t.Fatal(err)
	}
	got := rep.Findings
	if len(got) != 2 {
		t.Fatalf("got %d objects", len(got))
	}
	for _, k := range []string{"rule", "description", "provider", "file", "line", "column", "secret", "fingerprint", "commit", "author", "email", "date"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if got[1]["date"] != "2026-01-02T03:04:05Z" || got[1]["verification"] != "invalid" || got[1]["line"] != float64(1) {
		t.Errorf("second finding: %v", got[1])
	}
	if _, ok := got[0]["verification"]; ok {
		t.Errorf("verification shown although not checked")
	}
	want := []map[string]any{
		{"file": "big.csv", "commit": "", "reason": "larger than 10 MiB", "incomplete": true},
		{"file": "img.png", "commit": "", "reason": "binary", "incomplete": false},
		{"file": "w.bin", "commit": "0123456789ab", "reason": "unreadable: permission denied", "incomplete": true},
	}
	if fmt.Sprint(rep.NotScanned) != fmt.Sprint(want) {
		t.Errorf("not_scanned %v\nwant        %v", rep.NotScanned, want)
	}
	if out := render(t, "json", nil, Options{}); strings.Join(strings.Fields(out), "") != `{"findings":[],"not_scanned":[]}` {
		t.Errorf("nothing to say: %q", out)
	}
}

func notScanned() []NotScanned {
	return []NotScanned{
		{Path: "big.csv", Reason: "larger than 10 MiB", Incomplete: true},
		{Path: "img.png", Reason: "binary"},
		{Path: "w.bin", Commit: "0123456789ab", Reason: "unreadable: permission denied", Incomplete: true},
	}
}

func TestNotScannedSummary(t *testing.T) {
	ns := append(notScanned(), NotScanned{Path: "b.png", Reason: "binary"}, NotScanned{Path: "nope", Reason: "no such file or directory", Incomplete: true})
	want := "5 files not scanned: 1 larger than 10 MiB, 1 missing, 1 unreadable, 2 binary"
	if got := NotScannedSummary(ns); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := NotScannedSummary(ns[1:2]); got != "1 file not scanned: 1 binary" {
		t.Errorf("one binary: %s", got)
	}
	lfs := []NotScanned{{Path: "a", Reason: "LFS object not downloaded: 1 KiB", Size: 1024},
		{Path: "b", Reason: "LFS object not downloaded: 2 GiB", Size: 2 << 30}, {Path: "c", Reason: "binary"}}
	if got := NotScannedSummary(lfs); got != "3 files not scanned: 2 LFS object not downloaded (2.0 GiB), 1 binary" {
		t.Errorf("LFS sizes: %s", got)
	}
	if got := NotScannedSummary(nil); got != "" {
		t.Errorf("all scanned: %q", got)
	}
}

// The text report lists what leaves the scan incomplete, counts the rest,
// and says nothing at all only when there is nothing to say.
func TestTextNotScanned(t *testing.T) {
	out := render(t, "text", findings()[:1], Options{NotScanned: notScanned()})
	want := `src/train.py
  4:14      huggingface-token  hf_…dKH9  Hugging Face user access token

not scanned:
  big.csv  larger than 10 MiB
  w.bin @ 0123456789ab  unreadable: permission denied

1 secret in 1 file
3 files not scanned: 1 larger than 10 MiB, 1 unreadable, 1 binary
`
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if out := render(t, "text", nil, Options{NotScanned: notScanned()[1:2]}); out != "" {
		t.Errorf("clean and complete but for a binary file: %q", out)
	}
	if out := render(t, "text", findings()[:1], Options{NotScanned: notScanned()[1:2]}); !strings.HasSuffix(out, "\n\n1 secret in 1 file\n1 file not scanned: 1 binary\n") {
		t.Errorf("findings and a binary file: %q", out)
	}
}

func TestSARIFNotifications(t *testing.T) {
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Descriptor struct{ ID string }   `json:"descriptor"`
					Level      string                `json:"level"`
					Message    struct{ Text string } `json:"message"`
					Locations  []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
					Properties map[string]string `json:"properties"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(render(t, "sarif", nil, Options{NotScanned: notScanned()})), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 3 {
		t.Fatalf("invocations %+v", inv)
	}
	n := inv[0].ToolExecutionNotifications
	if n[0].Level != "error" || n[1].Level != "note" || n[0].Descriptor.ID != "not-scanned" ||
		n[0].Message.Text != "big.csv: not scanned, larger than 10 MiB" || n[2].Locations[0].PhysicalLocation.ArtifactLocation.URI != "w.bin" ||
		n[2].Properties["commit"] != "0123456789ab" {
		t.Errorf("notifications %+v", n)
	}
	// Binary files alone leave the run successful.
	if err := json.Unmarshal([]byte(render(t, "sarif", nil, Options{NotScanned: notScanned()[1:2]})), &log); err != nil {
		t.Fatal(err)
	}
	if !log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Errorf("binary files only: execution not successful")
	}
}

// TestSARIFStructure checks what GitHub code scanning requires of a SARIF
// 2.1.0 upload: version and schema, one run with a named driver, results
// whose ruleIndex points at their rule, a message, a location with a
// relative URI and a 1-based region, and partial fingerprints.
func TestSARIFStructure(t *testing.T) {
	out := render(t, "sarif", findings(), Options{Tool: "secretscan", Version: "1.2.3", Rules: []Rule{{ID: "aws-access-key-id", Description: "AWS", Provider: "aws"}}})
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name           string `json:"name"`
					InformationURI string `json:"informationUri"`
					Version        string `json:"version"`
					Rules          []struct {
						ID                   string `json:"id"`
						Name                 string `json:"name"`
						ShortDescription     struct{ Text string }
						DefaultConfiguration struct{ Level string }
						Properties           map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]string `json:"properties"`
			} `json:"results"`
			Invocations []struct {
				ExecutionSuccessful bool `json:"executionSuccessful"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "secretscan" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver %+v", run.Tool.Driver)
	}
	if len(run.Tool.Driver.Rules) != 3 || run.Tool.Driver.Rules[0].ID != "aws-access-key-id" {
		t.Errorf("rules: every rule that ran, then those only seen in findings: %+v", run.Tool.Driver.Rules)
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ShortDescription.Text == "" || r.DefaultConfiguration.Level != "error" || r.Properties["security-severity"] == nil {
			t.Errorf("rule %s incomplete: %+v", r.ID, r)
		}
	}
	if len(run.Results) != 2 {
		t.Fatalf("%d results", len(run.Results))
	}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s points at rule %d", r.RuleID, r.RuleIndex)
		}
		if r.Level != "error" || r.Message.Text == "" || len(r.Locations) != 1 || len(r.PartialFingerprints) == 0 {
			t.Errorf("result incomplete: %+v", r)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("location %+v", loc)
		}
	}
	if p := run.Results[1].Properties; p["commit"] == "" || p["verification"] != "invalid" {
		t.Errorf("git and verification properties: %v", p)
	}
	if uri := run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "dir%20with%20space/a,b:c.env" {
		t.Errorf("uri = %q", uri)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations %+v", run.Invocations)
	}
	if empty := render(t, "sarif", nil, Options{}); !strings.Contains(empty, `"results": []`) {
		t.Errorf("no findings must still give a results array:\n%s", empty)
	}
}

func TestGitHubAnnotationsEscape(t *testing.T) {
	out := render(t, "github", findings(), Options{Tool: "secretscan"})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	if want := "::error file=src/train.py,line=4,col=14,title=secretscan huggingface-token::Hugging Face user access token hf_…dKH9"; lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	if !strings.HasSuffix(lines[1], "…qshy [invalid]") {
		t.Errorf("verification missing: %s", lines[1])
	}
	if !strings.HasPrefix(lines[1], "::error file=dir with space/a%2Cb%3Ac.env,line=1,") {
		t.Errorf("property not escaped: %s", lines[1])
	}
}

func TestTextGroupsByFileAndCounts(t *testing.T) {
	out := render(t, "text", findings(), Options{})
	for _, want := range []string{
		"src/train.py\n  4:14      huggingface-token  hf_…dKH9  Hugging Face user access token\n",
		"dir with space/a,b:c.env @ 0123456789ab\n",
		"[invalid] (Ann, 2026-01-02)",
		"\n2 secrets in 2 files\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour without Color")
	}
	if !strings.Contains(render(t, "text", findings(), Options{Color: true}), "\x1b[31m") {
		t.Errorf("no colour with Color")
	}
	if out := render(t, "text", nil, Options{}); out != "" {
		t.Errorf("no findings: %q", out)
	}
}
