package config

import "github.com/tokenguard/tokenguard/internal/bytesize"

// Scan is the [scan] table: allowlists and custom rules of secretscan.
//
//	[scan]
//	max_file_size = "5MiB"           # or bytes (5242880); default 10 MiB
//	baseline = ".secretscan-baseline.json"
//	gitignore = true                 # secretscan dir leaves out ignored files
//	disable = ["generic-secret"]     # rule ids
//
//	[[scan.allowlists]]
//	description = "test fixtures"
//	rules = []                       # empty: every rule
//	paths = ["tests/fixtures/**"]
//	regexes = ['^hf_test']           # on the secret
//	lines = ['EXAMPLE_ONLY']         # on the whole line
//	stopwords = ["dummy"]
//
//	[[scan.rules]]                   # a new rule, or one replacing a built-in id
//	id = "acme-key"
//	description = "ACME API key"
//	regex = '\b(?P<secret>acme_[a-z0-9]{32})\b'
//	keywords = ["acme_"]
type Scan struct {
	MaxFileSize bytesize.Size `toml:"max_file_size"`
	Baseline    string        `toml:"baseline"`
	Gitignore   *bool         `toml:"gitignore"`
	Disable     []string      `toml:"disable"`
	Allowlists  []Allowlist   `toml:"allowlists"`
	Rules       []Rule        `toml:"rules"`
}

// The scan tables are plain copies of the engine's scan.AllowlistSpec and
// scan.RuleSpec rather than those types, so that reading the configuration
// does not link the detection engine: tokenage reads this file in every new
// shell. scanconf converts them with scan.AllowlistSpec(a), which compiles
// only while the fields match in name, type and order.

// Allowlist is one [[scan.allowlists]] table (see scan.AllowlistSpec).
type Allowlist struct {
	Description string   `toml:"description"`
	Rules       []string `toml:"rules"`
	Paths       []string `toml:"paths"`
	Regexes     []string `toml:"regexes"`
	Lines       []string `toml:"lines"`
	Stopwords   []string `toml:"stopwords"`
}

// Rule is one [[scan.rules]] table (see scan.RuleSpec).
type Rule struct {
	ID              string   `toml:"id"`
	Provider        string   `toml:"provider"`
	Description     string   `toml:"description"`
	Regex           string   `toml:"regex"`
	Keywords        []string `toml:"keywords"`
	Window          int      `toml:"window"`
	StartsAtKeyword bool     `toml:"starts_at_keyword"`
	Gate            string   `toml:"gate"`
	MaxLength       int      `toml:"max_length"`
	Entropy         float64  `toml:"entropy"`
	Validator       string   `toml:"validator"`
	Checks          []string `toml:"checks"`
	Priority        *int     `toml:"priority"`
	Stopwords       []string `toml:"stopwords"`
	Match           []string `toml:"match"`
	NoMatch         []string `toml:"no_match"`
	SectionKeywords []string `toml:"section_keywords"`
	Informational   bool     `toml:"informational"`
}
