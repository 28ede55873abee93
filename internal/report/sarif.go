package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// SARIF writes a SARIF 2.1.0 log with one run, every rule in the driver and
// one error-level result per finding, as GitHub code scanning accepts it.
// partialFingerprints carry the secret fingerprint so alerts survive edits.
type SARIF struct{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

// sarifInvocation carries what was not scanned, as tool execution
// notifications (SARIF 2.1.0 §3.20.21). Per the spec's appendix on
// detecting incomplete result sets, what was left unread is a notification
// of level "error" and executionSuccessful is false; binary files are
// notes.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Descriptor sarifDescriptor     `json:"descriptor"`
	Level      string              `json:"level"`
	Message    sarifText           `json:"message"`
	Locations  []sarifFileLocation `json:"locations"`
	Properties map[string]string   `json:"properties,omitempty"`
}

type sarifDescriptor struct {
	ID string `json:"id"`
}

type sarifFileLocation struct {
	PhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
	} `json:"physicalLocation"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func (SARIF) Write(w io.Writer, fs []scan.Finding, opts Options) error {
	drv := sarifDriver{Name: opts.Tool, InformationURI: "https://github.com/tokenguard/tokenguard", Version: opts.Version, Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(id, desc, provider string) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(drv.Rules)
		drv.Rules = append(drv.Rules, sarifRule{
			ID: id, Name: id, ShortDescription: sarifText{desc},
			DefaultConfiguration: sarifConfig{Level: "error"},
			// GitHub code scanning ranks alerts by security-severity: a
			// leaked credential is critical.
			Properties: map[string]any{"provider": provider, "tags": []string{"security", "secret"}, "security-severity": "9.0"},
		})
		return index[id]
	}
	for _, r := range opts.Rules {
		addRule(r.ID, r.Description, r.Provider)
	}
	results := []sarifResult{}
	for _, f := range fs {
		ri := addRule(f.RuleID, f.Description, f.Provider)
		props := map[string]string{}
		if f.Commit != "" {
			props["commit"] = f.Commit
			props["author"] = f.Author
		}
		if f.Verification != "" {
			props["verification"] = f.Verification
		}
		if e := expires(f); e != "" {
			props["expires"] = e
		}
		if f.Note != "" {
			props["note"] = f.Note
		}
		// A finding in a Hub repository is located by its link there.
		loc := sarifArtifact{URI: sarifURI(f.File), URIBaseID: "%SRCROOT%"}
		if f.Link != "" {
			loc = sarifArtifact{URI: f.Link}
			props["repository"] = f.Repository
		}
		if len(props) == 0 {
			props = nil
		}
		level := "error"
		if f.Informational {
			level = "note" // public by design: shown, never an alert that fails
		}
		results = append(results, sarifResult{
			RuleID: f.RuleID, RuleIndex: ri, Level: level,
			Message: sarifText{f.Description + ": " + secret(f, opts)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: loc,
				Region:           sarifRegion{StartLine: f.Line, StartColumn: f.Column},
			}}},
			PartialFingerprints: map[string]string{"secretFingerprint/v1": f.RuleID + ":" + f.Fingerprint},
			Properties:          props,
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range opts.NotScanned {
		level := "note"
		if n.Incomplete {
			level, inv.ExecutionSuccessful = "error", false
		}
		var loc sarifFileLocation
		loc.PhysicalLocation.ArtifactLocation = sarifArtifact{URI: sarifURI(n.Path), URIBaseID: "%SRCROOT%"}
		var props map[string]string
		if n.Commit != "" {
			props = map[string]string{"commit": n.Commit}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Descriptor: sarifDescriptor{ID: "not-scanned"}, Level: level,
			Message:   sarifText{n.Path + ": not scanned, " + n.Reason},
			Locations: []sarifFileLocation{loc}, Properties: props,
		})
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: drv}, Invocations: []sarifInvocation{inv}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifURI is a relative URI reference for a path: forward slashes, no
// leading ./, and characters outside the URI syntax percent-encoded.
func sarifURI(p string) string {
	p = strings.TrimPrefix(filepath.ToSlash(p), "./")
	return (&url.URL{Path: p}).EscapedPath()
}
