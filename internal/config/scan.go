package config

import (
	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/scan"
)

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
	MaxFileSize bytesize.Size        `toml:"max_file_size"`
	Baseline    string               `toml:"baseline"`
	Gitignore   *bool                `toml:"gitignore"`
	Disable     []string             `toml:"disable"`
	Allowlists  []scan.AllowlistSpec `toml:"allowlists"`
	Rules       []scan.RuleSpec      `toml:"rules"`
}
