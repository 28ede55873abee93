package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// JSON writes an array of findings (an empty array when there are none):
//
//	[{"rule": "huggingface-token", "description": "…", "provider": "huggingface",
//	  "file": "train.py", "line": 12, "column": 9, "secret": "hf_…wxyz",
//	  "fingerprint": "1f2e3d4c5b6a7980", "entropy": 4.52,
//	  "commit": "", "author": "", "email": "", "date": ""}]
//
// secret is masked unless --no-redact; commit, author, email and date are
// empty outside git sources; date is RFC 3339.
type JSON struct{}

type jsonFinding struct {
	Rule         string  `json:"rule"`
	Description  string  `json:"description"`
	Provider     string  `json:"provider"`
	File         string  `json:"file"`
	Line         int     `json:"line"`
	Column       int     `json:"column"`
	Secret       string  `json:"secret"`
	Fingerprint  string  `json:"fingerprint"`
	Entropy      float64 `json:"entropy"`
	Commit       string  `json:"commit"`
	Author       string  `json:"author"`
	Email        string  `json:"email"`
	Date         string  `json:"date"`
	Verification string  `json:"verification,omitempty"`
}

func (JSON) Write(w io.Writer, fs []scan.Finding, opts Options) error {
	out := make([]jsonFinding, 0, len(fs))
	for _, f := range fs {
		date := ""
		if !f.Date.IsZero() {
			date = f.Date.UTC().Format(time.RFC3339)
		}
		out = append(out, jsonFinding{
			Rule: f.RuleID, Description: f.Description, Provider: f.Provider,
			File: f.File, Line: f.Line, Column: f.Column,
			Secret: secret(f, opts), Fingerprint: f.Fingerprint,
			Entropy: float64(int(f.Entropy*100)) / 100,
			Commit:  f.Commit, Author: f.Author, Email: f.Email, Date: date,
			Verification: f.Verification,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
