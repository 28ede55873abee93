package scan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
)

// BaselineVersion is the format version written in baseline files.
const BaselineVersion = 1

// BaselineEntry is one accepted finding. It is keyed by rule, secret
// fingerprint and path, never by line, so edits elsewhere in the file keep
// it valid; moving the secret to another file makes it new again.
type BaselineEntry struct {
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
	Path        string `json:"path"`
}

// Baseline is a set of accepted findings.
type Baseline struct {
	entries map[BaselineEntry]bool
}

type baselineFile struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// ErrBaselineFormat is a baseline file that is not one this version writes.
var ErrBaselineFormat = errors.New("not a secretscan baseline file")

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read baseline: %w", err)
	}
	var f baselineFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrBaselineFormat, err)
	}
	if f.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: %w: version %d, want %d", path, ErrBaselineFormat, f.Version, BaselineVersion)
	}
	bl := &Baseline{entries: map[BaselineEntry]bool{}}
	for _, e := range f.Findings {
		e.Path = normPath(e.Path)
		bl.entries[e] = true
	}
	return bl, nil
}

// NewBaseline holds the given findings.
func NewBaseline(fs []Finding) *Baseline {
	bl := &Baseline{entries: map[BaselineEntry]bool{}}
	for _, f := range fs {
		bl.entries[entryOf(f)] = true
	}
	return bl
}

func entryOf(f Finding) BaselineEntry {
	return BaselineEntry{Rule: f.RuleID, Fingerprint: f.Fingerprint, Path: normPath(f.File)}
}

func normPath(p string) string {
	p = filepath.ToSlash(p)
	return strings.TrimPrefix(p, "./")
}

// KeepFrom adds the entries of old whose path keep accepts (the files a
// partial update did not scan) and returns how many it added.
func (b *Baseline) KeepFrom(old *Baseline, keep func(path string) bool) int {
	if old == nil {
		return 0
	}
	n := 0
	for e := range old.entries {
		if keep(e.Path) && !b.entries[e] {
			b.entries[e] = true
			n++
		}
	}
	return n
}

// Len is the number of entries.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.entries)
}

// Contains reports whether f was accepted.
func (b *Baseline) Contains(f Finding) bool {
	return b != nil && b.entries[entryOf(f)]
}

// Filter returns the findings not in the baseline.
func (b *Baseline) Filter(fs []Finding) []Finding {
	if b.Len() == 0 {
		return fs
	}
	var out []Finding
	for _, f := range fs {
		if !b.Contains(f) {
			out = append(out, f)
		}
	}
	return out
}

// Write stores the baseline at path atomically: a temporary file in the same
// directory renamed over the old one, so a failed write leaves it unchanged.
func (b *Baseline) Write(path string) error {
	f := baselineFile{Version: BaselineVersion, Findings: []BaselineEntry{}}
	for e := range b.entries {
		f.Findings = append(f.Findings, e)
	}
	slices.SortFunc(f.Findings, func(x, y BaselineEntry) int {
		return strings.Compare(x.Path+"\x00"+x.Rule+"\x00"+x.Fingerprint, y.Path+"\x00"+y.Rule+"\x00"+y.Fingerprint)
	})
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
