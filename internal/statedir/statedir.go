// Package statedir locates the directory where tokenguard keeps its state:
// the token-age ledger, the validation cache and the audit log.
package statedir

import (
	"errors"
	"path/filepath"
)

// Dir is $XDG_STATE_HOME/tokenguard, by default ~/.local/state/tokenguard.
// getenv is os.Getenv, or a map lookup in tests; HOME is read through it
// too. Following the XDG spec, a relative XDG_STATE_HOME is ignored.
func Dir(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "tokenguard"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("cannot locate the state directory: neither XDG_STATE_HOME nor HOME is set")
	}
	return filepath.Join(home, ".local", "state", "tokenguard"), nil
}
