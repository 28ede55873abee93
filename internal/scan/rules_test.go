package scan

import (
	"fmt"
	"regexp/syntax"
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
	rf, err := loadRuleFile() // the examples are not compiled in
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rf.Rules {
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

func TestRegexAnalysis(t *testing.T) {
	parse := func(expr string) *syntax.Regexp {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		return re
	}
	for _, c := range []struct {
		expr     string
		prefix   string
		boundary bool
		reach    int
	}{
		{`\b(?P<secret>hf_[A-Za-z0-9]{34})\b`, "hf_", true, 37},
		{`(?i)token=(?P<secret>\w{8})`, "", false, 14}, // folded letters may count more: an upper bound
		{`"private_key"\s*:`, `"private_key"`, false, -1},
		{`(?:AKIA|ASIA)[A-Z2-7]{16}`, "A", false, 20},
		{`x{2,}`, "", false, -1},
		{`é{3}`, "", false, 6}, // a repeat is not a literal prefix: the check is skipped
	} {
		if got := literalPrefix(parse(c.expr)); got != c.prefix {
			t.Errorf("%s: prefix %q, want %q", c.expr, got, c.prefix)
		}
		if got := startsWithWordBoundary(c.expr); got != c.boundary {
			t.Errorf("%s: leading \\b %v, want %v", c.expr, got, c.boundary)
		}
		// reach may overestimate (a folded k may be the 3-byte Kelvin sign),
		// never underestimate: it bounds the text an anchored regex sees.
		if got := maxMatchLen(c.expr, 0); c.reach < 0 && got != -1 || c.reach >= 0 && got < c.reach {
			t.Errorf("%s: reach %d, want %d", c.expr, got, c.reach)
		}
	}
	if got := maxMatchLen(`key=(?P<secret>[a-z]+)`, 200); got != 204 {
		t.Errorf("unbounded repeat with max_length 200: reach %d, want 204", got)
	}
}

// Built-in regexes are compiled on first use; every one must compile, or a
// scan would stop on it.
func TestEveryBuiltInRegexCompiles(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		if err := r.compile(); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
	}
}

// A bad regex in a custom rule is reported by New, naming the rule.
func TestCustomRuleRegexErrorsAtNew(t *testing.T) {
	_, err := New(Config{Rules: []RuleSpec{{ID: "acme", Regex: `acme_(`, Keywords: []string{"acme_"}}}})
	if err == nil || !strings.Contains(err.Error(), `rule "acme": bad regex`) {
		t.Errorf("got %v", err)
	}
}
