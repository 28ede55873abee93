// Package tokenagecfg is the part of the configuration that the shell fast
// path (tokenage warn) reads: where .tokenguard.toml is found and the
// [tokenage] table, read without a TOML library. Package config holds the
// whole file and reads it with BurntSushi/toml; a file this package does not
// read exactly as config would is ErrUnsupported, never a guess.
package tokenagecfg

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/config/minitoml"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// FileName is the configuration file looked for at the repository root.
const FileName = ".tokenguard.toml"

// ErrUnsupported means the file must be read by package config: it holds
// more than [tokenage], TOML outside minitoml's subset, or could not be read.
var ErrUnsupported = minitoml.ErrUnsupported

// Tokenage is the [tokenage] table: the token-age policy. Durations are
// strings such as "90d", "2w" or "36h"; empty keeps the default.
//
//	[tokenage]
//	max_age = "90d"           # rotate tokens older than this (default 90d)
//	warn_before = "14d"       # warn this long before max_age or a known expiry (default 14d)
//	remind_every = "1d"       # repeat a warning at most this often (default: every new shell)
//	ignore = ["openai", "GITHUB_TOKEN"]  # provider, variable, source or fingerprint
//
//	[tokenage.providers.github]
//	max_age = "30d"
type Tokenage struct {
	MaxAge      string                      `toml:"max_age"`
	WarnBefore  string                      `toml:"warn_before"`
	RemindEvery string                      `toml:"remind_every"`
	Ignore      []string                    `toml:"ignore"`
	Providers   map[string]TokenageProvider `toml:"providers"`
}

// TokenageProvider overrides the limits of [tokenage] for one provider.
type TokenageProvider struct {
	MaxAge     string `toml:"max_age"`
	WarnBefore string `toml:"warn_before"`
}

// Find returns the path of the configuration file that applies to dir: the
// one in dir or its nearest ancestor, stopping at the repository root (the
// first directory holding .git). It returns "" when there is none.
func Find(dir string) string {
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Read returns the [tokenage] table of a configuration file that holds
// nothing else, as config.Read would; table is the table's key, as
// config.File's tag names it (the command words it). Anything else,
// including a file that cannot be read, is ErrUnsupported: config.Read then
// says what is wrong.
func Read(path, table string) (Tokenage, error) {
	data, _, err := smallfile.Read(path, smallfile.CredentialLimit)
	if err != nil {
		return Tokenage{}, fmt.Errorf("%s: %w", path, ErrUnsupported)
	}
	t, err := Decode(data, table)
	if err != nil {
		return Tokenage{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Decode is Read on the file's bytes.
func Decode(data []byte, table string) (Tokenage, error) {
	var t Tokenage
	doc, err := minitoml.Parse(data)
	if err != nil {
		return t, err
	}
	for key, v := range doc {
		keys, ok := v.(map[string]any)
		if key != table || !ok {
			return t, ErrUnsupported // another table is config's to check
		}
		for key, v := range keys {
			var ok bool
			switch key {
			case "max_age":
				t.MaxAge, ok = v.(string)
			case "warn_before":
				t.WarnBefore, ok = v.(string)
			case "remind_every":
				t.RemindEvery, ok = v.(string)
			case "ignore":
				t.Ignore, ok = stringList(v)
			case "providers":
				t.Providers, ok = providers(v)
			}
			if !ok {
				return t, ErrUnsupported // an unknown key or a value of the wrong type
			}
		}
	}
	return t, nil
}

func stringList(v any) ([]string, bool) {
	items, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(items))
	for i, it := range items {
		if out[i], ok = it.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

func providers(v any) (map[string]TokenageProvider, bool) {
	table, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]TokenageProvider, len(table))
	for name, v := range table {
		keys, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		var p TokenageProvider
		for key, v := range keys {
			switch key {
			case "max_age":
				p.MaxAge, ok = v.(string)
			case "warn_before":
				p.WarnBefore, ok = v.(string)
			default:
				ok = false
			}
			if !ok {
				return nil, false
			}
		}
		out[name] = p
	}
	return out, true
}
