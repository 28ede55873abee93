package authlog

import (
	"errors"
	"path/filepath"
)

// StateDir is where tokenguard keeps state (ledger, validation cache, audit
// log): $XDG_STATE_HOME/tokenguard, by default ~/.local/state/tokenguard.
// getenv is os.Getenv, or a map lookup in tests; HOME is read through it too.
// Following the XDG spec, a relative XDG_STATE_HOME is ignored.
func StateDir(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "tokenguard"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("cannot locate the state directory: neither XDG_STATE_HOME nor HOME is set")
	}
	return filepath.Join(home, ".local", "state", "tokenguard"), nil
}

// DefaultAuditPath is TOKENGUARD_AUDIT_LOG if set, else StateDir()/audit.log.
func DefaultAuditPath(getenv func(string) string) (string, error) {
	if path := getenv("TOKENGUARD_AUDIT_LOG"); path != "" {
		return path, nil
	}
	dir, err := StateDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "audit.log"), nil
}
