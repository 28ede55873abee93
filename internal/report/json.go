package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// JSON writes one object: the findings, and what was not scanned (both
// arrays, empty when there is none):
//
//	{"findings": [{"rule": "huggingface-token", "description": "…", "provider": "huggingface",
//	  "file": "train.py", "line": 12, "column": 9, "secret": "hf_…wxyz",
//	  "fingerprint": "1f2e3d4c5b6a7980", "entropy": 4.52,
//	  "commit": "", "author": "", "email": "", "date": ""}],
//	 "not_scanned": [{"file": "data/big.csv", "commit": "", "reason": "larger than 10 MiB",
//	  "incomplete": true}]}
//
// secret is masked unless --no-redact; commit, author, email and date are
// empty outside git sources; date is RFC 3339. Findings whose secret says
// when it expires (a JWT's exp) add "expires" (RFC 3339); findings with
// something to say about the secret add "note" ("username alice",
// "iss supabase, role service_role"), which never holds the secret. Findings
// in a Hub repository add "repository" ("space alice/app") and "link" (the
// file at the commit and line on the Hub). incomplete is false for
// what does not make the scan incomplete (binary files; files over the
// limit when accepted). A report of one share of secretscan hub --shard
// adds "shard": "K/N".
type JSON struct{}

type jsonReport struct {
	Findings   []jsonFinding `json:"findings"`
	NotScanned []NotScanned  `json:"not_scanned"`
	Shard      string        `json:"shard,omitempty"`
}

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
	Expires      string  `json:"expires,omitempty"`
	Note         string  `json:"note,omitempty"`
	// Informational findings are public by design and do not fail the scan.
	Informational bool   `json:"informational,omitempty"`
	Repository    string `json:"repository,omitempty"`
	Link          string `json:"link,omitempty"`
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
			Verification: f.Verification, Informational: f.Informational,
			Expires: expires(f), Note: f.Note,
			Repository: f.Repository, Link: f.Link,
		})
	}
	ns := append([]NotScanned{}, opts.NotScanned...) // [] rather than null when none
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Findings: out, NotScanned: ns, Shard: opts.Shard})
}
