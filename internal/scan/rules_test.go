package scan

import (
	"fmt"
	"strings"
	"testing"
)

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func ruleIDs(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

func hasRule(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestRuleExamples runs every built-in rule against its own examples, read
// as plain text and as nameless input (which JSON-looking examples turn into
// decoded JSON), so that no rule ships untested.
func TestRuleExamples(t *testing.T) {
	e := newEngine(t, Config{})
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.Match) == 0 || len(r.NoMatch) == 0 {
				t.Fatalf("rule has %d match and %d no_match examples; it needs both", len(r.Match), len(r.NoMatch))
			}
			for _, path := range []string{"example.txt", ""} {
				for i, ex := range r.Match {
					fs := e.Scan(Fragment{Path: path, Content: []byte(ex)})
					if !hasRule(fs, r.ID) {
						t.Errorf("match[%d] (path %q): no finding, got rules %v\n%s", i, path, ruleIDs(fs), ex)
					}
					for _, f := range fs {
						if f.RuleID == r.ID && !isJSON(path, []byte(ex)) && !strings.Contains(ex, f.Secret) {
							t.Errorf("match[%d]: secret %q is not in the example", i, f.Masked)
						}
					}
				}
				for i, ex := range r.NoMatch {
					fs := e.Scan(Fragment{Path: path, Content: []byte(ex)})
					if hasRule(fs, r.ID) {
						t.Errorf("no_match[%d] (path %q): finding %v\n%s", i, path, fs, ex)
					}
				}
			}
		})
	}
}

func TestRuleFileIsValid(t *testing.T) {
	rf, err := loadRuleFile()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rf.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s defined twice", r.ID)
		}
		seen[r.ID] = true
		if r.Provider == "" || r.Description == "" {
			t.Errorf("rule %s: provider and description are required", r.ID)
		}
	}
	for _, id := range []string{
		"huggingface-token", "huggingface-org-token", "modal-token-id", "modal-token-secret",
		"github-token", "github-installation-token", "github-fine-grained-pat", "wandb-api-key",
		"wandb-api-key-legacy", "openai-api-key", "anthropic-api-key", "aws-access-key-id",
		"aws-secret-access-key", "gcp-service-account-key", "gcp-api-key", "private-key",
		"slack-token", "slack-webhook", "stripe-live-key", "replicate-api-token", "groq-api-key",
		"pinecone-api-key", "langsmith-api-key", "cohere-api-key", "mistral-api-key",
		"together-api-key", "nvidia-api-key", "database-url-password", "generic-secret",
	} {
		if !seen[id] {
			t.Errorf("required rule %s is missing", id)
		}
	}
}

func TestGitHubChecksum(t *testing.T) {
	good := "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"
	if !githubChecksumOK(good) {
		t.Errorf("%s: checksum rejected", good)
	}
	for _, bad := range []string{
		"ghp_Mm8biABkerSuHpnMmMDF2EsjYyTQWC2lTFev", // last six changed
		"ghp_N267L1vqkgnBsUje9FqBZonjaaWDcX198BIe",
		"ghp_short",
		"nounderscore",
	} {
		if githubChecksumOK(bad) {
			t.Errorf("%s: checksum accepted", bad)
		}
	}
}

func TestEntropy(t *testing.T) {
	for _, c := range []struct {
		s    string
		want float64
	}{{"", 0}, {"aaaa", 0}, {"ab", 1}, {"abcd", 2}} {
		if got := entropy(c.s); fmt.Sprintf("%.3f", got) != fmt.Sprintf("%.3f", c.want) {
			t.Errorf("entropy(%q) = %f, want %f", c.s, got, c.want)
		}
	}
}
