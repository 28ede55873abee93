// Package report writes secretscan findings in one format per file: text for
// people, json for tools, sarif for code-scanning dashboards, github for
// workflow annotations. Every format shows masked secrets unless told not to.
package report

import (
	"io"
	"slices"

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
	// Version is the tool version written into SARIF.
	Version string
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

// secret is what a report shows of a finding's secret.
func secret(f scan.Finding, opts Options) string {
	if opts.NoRedact {
		return f.Secret
	}
	return f.Masked
}
