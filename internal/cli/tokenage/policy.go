package tokenage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/config/tokenagecfg"
	"github.com/tokenguard/tokenguard/internal/credential/lite"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// Age is a duration flag that accepts days and weeks ("90d", "2w") and
// remembers whether it was given.
type Age struct {
	d   time.Duration
	set bool
}

// UnmarshalText implements encoding.TextUnmarshaler, which kong uses.
func (a *Age) UnmarshalText(text []byte) error {
	d, err := ledger.ParseDuration(string(text))
	if err != nil {
		return err
	}
	a.d, a.set = d, true
	return nil
}

// PolicyFlags override the configuration files.
type PolicyFlags struct {
	MaxAge     Age `name:"max-age" placeholder:"AGE" help:"Rotate credentials older than AGE, e.g. 90d, 12w (default 90d, or max_age in the configuration)."`
	WarnBefore Age `name:"warn-before" placeholder:"AGE" help:"Warn this long before the maximum age or a known expiry (default 14d)."`
}

// settings are the policy and the warn-only reminder interval.
type settings struct {
	policy      ledger.Policy
	remindEvery time.Duration
	// overrides are the per-provider keys given, resolved against the
	// default limits once every file has been read.
	overrides map[string]override
}

type override struct{ maxAge, warnBefore *time.Duration }

// userConfigFile is the per-user configuration: $XDG_CONFIG_HOME/tokenguard/config.toml.
func userConfigFile(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "tokenguard", "config.toml")
}

// load builds the policy: defaults, then the user's file, then the
// repository's .tokenguard.toml, then the flags. Errors are usage errors that
// name the file.
func (f PolicyFlags) load(b *Books) (settings, error) {
	s := settings{policy: ledger.Policy{Default: ledger.DefaultLimits, Providers: map[string]ledger.Limits{}},
		overrides: map[string]override{}}
	var files []string
	if p := userConfigFile(b.getenv); p != "" {
		if _, err := os.Stat(p); err == nil {
			files = append(files, p)
		}
	}
	cwd, _ := os.Getwd()
	if p := tokenagecfg.Find(cwd); p != "" && !slices.Contains(files, p) {
		files = append(files, p)
	}
	for _, path := range files {
		t, err := b.readers.Tokenage(path)
		if errors.Is(err, tokenagecfg.ErrUnsupported) {
			return s, errDeclined
		}
		if err != nil {
			return s, exitcode.Errorf(exitcode.Usage, "fix the file, or see the README for the keys of [tokenage]", "%w", err)
		}
		if err := s.apply(t); err != nil {
			return s, exitcode.Errorf(exitcode.Usage, "durations look like 90d, 2w or 36h; providers are "+providerList(), "%s: [tokenage] %w", path, err)
		}
	}
	if f.MaxAge.set {
		s.policy.Default.MaxAge = f.MaxAge.d
	}
	if f.WarnBefore.set {
		s.policy.Default.WarnBefore = f.WarnBefore.d
	}
	for p, o := range s.overrides {
		l := s.policy.Default
		if o.maxAge != nil && !f.MaxAge.set {
			l.MaxAge = *o.maxAge
		}
		if o.warnBefore != nil && !f.WarnBefore.set {
			l.WarnBefore = *o.warnBefore
		}
		s.policy.Providers[p] = l
	}
	return s, nil
}

// apply lays one [tokenage] table over the settings.
func (s *settings) apply(t tokenagecfg.Tokenage) error {
	set := func(key, v string, into *time.Duration) error {
		if v == "" {
			return nil
		}
		d, err := ledger.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		*into = d
		return nil
	}
	if err := set("max_age", t.MaxAge, &s.policy.Default.MaxAge); err != nil {
		return err
	}
	if err := set("warn_before", t.WarnBefore, &s.policy.Default.WarnBefore); err != nil {
		return err
	}
	if err := set("remind_every", t.RemindEvery, &s.remindEvery); err != nil {
		return err
	}
	s.policy.Ignore = append(s.policy.Ignore, t.Ignore...)
	for p, o := range t.Providers {
		if !knownProvider(p) {
			return fmt.Errorf("providers.%s: unknown provider", p)
		}
		cur := s.overrides[p]
		for _, k := range []struct {
			key, v string
			into   **time.Duration
		}{{"max_age", o.MaxAge, &cur.maxAge}, {"warn_before", o.WarnBefore, &cur.warnBefore}} {
			var d time.Duration
			if err := set("providers."+p+"."+k.key, k.v, &d); err != nil {
				return err
			}
			if k.v != "" {
				*k.into = &d
			}
		}
		s.overrides[p] = cur
	}
	return nil
}

func knownProvider(p string) bool {
	return slices.ContainsFunc(lite.Small.Finders(), func(f lite.Finder) bool { return f.Provider == p })
}

func providerList() string {
	out := ""
	for i, f := range lite.Small.Finders() {
		if i > 0 {
			out += ", "
		}
		out += f.Provider
	}
	return out
}
