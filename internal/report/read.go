package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// Parsed is a JSON report read back: what secretscan merge combines.
type Parsed struct {
	Findings   []scan.Finding
	NotScanned []NotScanned
	// Shard is the share of repositories the report covers ("2/7"), ""
	// when it covers all it was asked for.
	Shard string
}

// ErrNotReport is input that is not a report the JSON writer wrote.
var ErrNotReport = errors.New("not a JSON report")

// ReadJSON reads a report the JSON writer wrote. Both arrays must be
// there: a truncated or foreign file is ErrNotReport, never an empty
// report. A secret written with --no-redact is masked again here, so the
// findings hold the raw value in Secret only.
func ReadJSON(r io.Reader) (*Parsed, error) {
	var in struct {
		Findings   *[]jsonFinding `json:"findings"`
		NotScanned *[]NotScanned  `json:"not_scanned"`
		Shard      string         `json:"shard"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotReport, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: more after the report's object", ErrNotReport)
	}
	if in.Findings == nil || in.NotScanned == nil {
		return nil, fmt.Errorf("%w: no \"findings\" or \"not_scanned\" array", ErrNotReport)
	}
	p := &Parsed{NotScanned: *in.NotScanned, Shard: in.Shard}
	for i, f := range *in.Findings {
		if f.Rule == "" || f.File == "" {
			return nil, fmt.Errorf("%w: finding %d has no rule or file", ErrNotReport, i+1)
		}
		out := scan.Finding{RuleID: f.Rule, Description: f.Description, Provider: f.Provider,
			File: f.File, Line: f.Line, Column: f.Column, Masked: f.Secret, Fingerprint: f.Fingerprint,
			Entropy: f.Entropy, Commit: f.Commit, Author: f.Author, Email: f.Email,
			Verification: f.Verification, Note: f.Note, Informational: f.Informational,
			Repository: f.Repository, Link: f.Link}
		if !strings.Contains(f.Secret, "…") { // written with --no-redact
			out.Secret, out.Masked = f.Secret, redact.Mask(f.Secret)
		}
		var err error
		if out.Date, err = parseTime(f.Date); err != nil {
			return nil, fmt.Errorf("%w: finding %d: date: %v", ErrNotReport, i+1, err)
		}
		if out.Expires, err = parseTime(f.Expires); err != nil {
			return nil, fmt.Errorf("%w: finding %d: expires: %v", ErrNotReport, i+1, err)
		}
		p.Findings = append(p.Findings, out)
	}
	return p, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}
