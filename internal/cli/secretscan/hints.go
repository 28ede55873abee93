package secretscan

import (
	"strings"

	"github.com/tokenguard/tokenguard/internal/source"
)

// skipReason words a skip for the report: a missing object the user
// accepted names the flag that accepted it.
func skipReason(s source.Skip) string {
	if rest, ok := strings.CutPrefix(s.Reason, source.ReasonAcceptedObject); ok {
		return "missing, accepted with --allow-missing: " + rest
	}
	return s.Reason
}
