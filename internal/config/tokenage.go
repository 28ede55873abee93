package config

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
