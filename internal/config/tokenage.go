package config

import "github.com/tokenguard/tokenguard/internal/config/tokenagecfg"

// Tokenage is the [tokenage] table; it lives in tokenagecfg, which the shell
// fast path reads without the TOML library.
type Tokenage = tokenagecfg.Tokenage

// TokenageProvider overrides the limits of [tokenage] for one provider.
type TokenageProvider = tokenagecfg.TokenageProvider
