package redact

import (
	"regexp"
	"strings"
	"sync"
)

// The regular expressions String used before it became a hand-written
// scanner (issue 18: package regexp costs every shell start page faults).
// They stay here as the reference the scanner is held to, byte for byte:
// TestStringMatchesRegexp and FuzzStringMatchesRegexp.
var refTokenShapes = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(strings.Join([]string{
		`hf_(?:oauth_)?[A-Za-z0-9]{20,}`,
		`api_org_[A-Za-z0-9]{20,}`,
		`ghs_[0-9]+_[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)+`,
		`gh[pousr]_[A-Za-z0-9_]{20,}`,
		`github_pat_[A-Za-z0-9_]{20,}`,
		`\b(?:ak|as)-[A-Za-z0-9]{12,}`,
		`\bsk-[A-Za-z0-9_\-]{20,}`,
		`wandb_v1_[A-Za-z0-9_\-]{10,}`,
		`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b`,
		`xox[abposr]-[A-Za-z0-9\-]{10,}`,
		`\bxapp-[A-Za-z0-9\-]{20,}`,
		`\bxoxe[.\-][A-Za-z0-9.\-]{20,}`,
		`\b(?:xai|pplx|csk)-[A-Za-z0-9_]{20,}`,
		`\b(?:fw|rpa|esecret|jina)_[A-Za-z0-9]{20,}`,
		`\bsk_[0-9a-f]{40,}`,
		`\bdapi[0-9a-f]{32}`,
		`\beyJhcGlf[A-Za-z0-9+/]{40,}={0,2}`,
		`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*`,
	}, "|"))
})

var refLabelled = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`(?i)(\b(?:bearer|basic)\s+|\bauthorization:\s*token\s+)([A-Za-z0-9._~+/=\-]{16,})()`),
		regexp.MustCompile(`(://[^\s/:@]+:)([^\s/@]+)(@)`),
	}
})

// refString is String as it was with the regular expressions.
func refString(s string) string {
	mu.RLock()
	defer mu.RUnlock()
	for _, k := range known {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, Mask(k))
		}
	}
	for _, re := range refLabelled() {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			g := re.FindStringSubmatch(m)
			return g[1] + Mask(g[2]) + g[3]
		})
	}
	s = refTokenShapes().ReplaceAllStringFunc(s, Mask)
	return dropKnown(s)
}
