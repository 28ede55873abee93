// Package report writes secretscan findings in one format per file: text for
// people, json for tools, sarif for code-scanning dashboards, github for
// workflow annotations. Every format shows masked secrets unless told not to.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// Options control what a report shows.
type Options struct {
	// NoRedact shows raw secret values. Never the default.
	NoRedact bool
	// Color adds ANSI colour (text only; only on a terminal without NO_COLOR).
	Color bool
	// Rules describe every rule that ran (SARIF lists them).
	Rules []Rule
	// Tool is the command reporting: SARIF's driver name and the title of
	// GitHub annotations.
	Tool string
	// Version is the tool version written into SARIF.
	Version string
	// NotScanned is what the scan was asked to read and did not.
	NotScanned []NotScanned
	// Shard is the share of the repositories scanned ("2/7", secretscan hub
	// --shard); the JSON report records it so that a merge can tell a
	// missing share.
	Shard string
}

// NotScanned is one file (or, in git sources, one file of a commit) left
// out of the scan, and why.
// Its JSON form is the not_scanned entry of secretscan's and pushguard's
// reports alike.
type NotScanned struct {
	Path   string `json:"file"`
	Commit string `json:"commit"`
	Reason string `json:"reason"` // "larger than 10 MiB", "binary", "unreadable: permission denied", …
	// Incomplete is true when leaving it out leaves the input partly
	// unread (exit 3 without findings); false for binary files, and for
	// files over the limit when the user accepted those.
	Incomplete bool `json:"incomplete"`
	// Size is the bytes left unread when known (an LFS object the Hub
	// keeps out of git); the summary adds them up.
	Size int64 `json:"size,omitempty"`
}

// NotScannedSummary is one line counting what was not scanned, by reason:
// "3 files not scanned: 1 larger than 10 MiB, 1 unreadable, 1 binary";
// "" when everything was scanned. What leaves the scan incomplete comes
// first; a reason whose entries have sizes adds their sum: "2 LFS object
// not downloaded (3.4 GiB)".
func NotScannedSummary(ns []NotScanned) string {
	if len(ns) == 0 {
		return ""
	}
	type group struct {
		label      string
		incomplete bool
		n          int
		size       int64
	}
	var groups []*group
	byLabel := map[string]*group{}
	for _, n := range ns {
		label, _, _ := strings.Cut(n.Reason, ":")
		if label == "no such file or directory" {
			label = "missing"
		}
		g := byLabel[label]
		if g == nil {
			g = &group{label: label}
			byLabel[label] = g
			groups = append(groups, g)
		}
		g.n++
		g.size += n.Size
		g.incomplete = g.incomplete || n.Incomplete
	}
	slices.SortFunc(groups, func(a, b *group) int {
		if a.incomplete != b.incomplete {
			if a.incomplete {
				return -1
			}
			return 1
		}
		return strings.Compare(a.label, b.label)
	})
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = fmt.Sprintf("%d %s", g.n, g.label)
		if g.size > 0 {
			parts[i] += " (" + bytesize.Size(g.size).String() + ")"
		}
	}
	return fmt.Sprintf("%s not scanned: %s", plural(len(ns), "file"), strings.Join(parts, ", "))
}

// Rule describes one detection rule.
type Rule struct {
	ID, Description, Provider string
}

// Writer writes findings in one format.
type Writer interface {
	Write(w io.Writer, findings []scan.Finding, opts Options) error
}

var formats = map[string]Writer{
	"text":   Text{},
	"json":   JSON{},
	"sarif":  SARIF{},
	"github": GitHub{},
}

// Formats lists the format names.
func Formats() []string {
	var names []string
	for n := range formats {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the writer of a format.
func Lookup(name string) (Writer, bool) {
	w, ok := formats[name]
	return w, ok
}

// expires is a finding's expiry in RFC 3339, or "" when the secret does not
// say.
func expires(f scan.Finding) string {
	if f.Expires.IsZero() {
		return ""
	}
	return f.Expires.UTC().Format(time.RFC3339)
}

// aboutSecret is the short line the human formats add after a finding:
// its note and the day it expires.
func aboutSecret(f scan.Finding) string {
	var parts []string
	if f.Note != "" {
		parts = append(parts, f.Note)
	}
	if !f.Expires.IsZero() {
		parts = append(parts, "expires "+f.Expires.UTC().Format(time.DateOnly))
	}
	return strings.Join(parts, ", ")
}

// secret is what a report shows of a finding's secret.
func secret(f scan.Finding, opts Options) string {
	if opts.NoRedact {
		return f.Secret
	}
	return f.Masked
}
