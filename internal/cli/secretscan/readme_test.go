package secretscan

import (
	"os"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// The README's rules table names every built-in rule with the documentation
// that defines its format: a new rule without a row fails here.
func TestREADMEListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	engine, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range engine.Rules() {
		row := "| `" + r.ID + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no rules-table row for %s (a line with %q)", r.ID, row)
		}
	}
}
