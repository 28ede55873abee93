package authlog

import (
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/statedir"
)

// DefaultAuditPath is TOKENGUARD_AUDIT_LOG if set, else audit.log in the state directory
// (statedir.Dir).
func DefaultAuditPath(getenv func(string) string) (string, error) {
	if path := getenv("TOKENGUARD_AUDIT_LOG"); path != "" {
		return path, nil
	}
	dir, err := statedir.Dir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "audit.log"), nil
}
