// Package redact turns credential values into forms that are safe to show or
// store: a masked form for people (hf_…wxyz), a fingerprint for state files,
// and a scrubber that masks anything token-shaped in free text.
package redact

import (
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// prefixes are the known credential prefixes kept visible by Mask, longest
// first so that "sk-ant-api03-" wins over "sk-".
var prefixes = []string{
	"sk-ant-admin01-", "sk-ant-api03-", "sk-svcacct-", "sk-admin-", "sk-proj-",
	"github_pat_", "wandb_v1_", "hf_oauth_", "api_org_",
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "hf_", "ak-", "as-", "sk-",
}

// Mask shows a credential as its known prefix and last four characters,
// e.g. "hf_…wxyz". Short or unknown values reveal less.
func Mask(value string) string {
	if value == "" {
		return ""
	}
	prefix := ""
	for _, p := range prefixes {
		if strings.HasPrefix(value, p) {
			prefix = p
			break
		}
	}
	rest := value[len(prefix):]
	// Reveal the last four only when at least 12 characters stay hidden.
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}

// Fingerprint is the first 16 hex digits of the SHA-256 of the value: stable
// enough to key state on, useless for recovering the credential.
func Fingerprint(value string) string {
	sum := sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:16]
}

// tokenShapes match credentials by their documented shapes. They are
// deliberately broad: masking a harmless string in a log costs little. The
// \b guards keep words such as "risk-assessment-…" out. Compiled on first
// use, not at package init: every binary links this package, and the
// shell fast path (tokenage warn) usually never calls String.
var tokenShapes = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(strings.Join([]string{
		`hf_(?:oauth_)?[A-Za-z0-9]{20,}`,
		`api_org_[A-Za-z0-9]{20,}`,
		// New installation tokens are ghs_<appid>_<JWT>: follow the JWT's dots,
		// but not a sentence's final period. Listed before the classic shape
		// because the first alternative that matches wins.
		`ghs_[0-9]+_[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)+`,
		`gh[pousr]_[A-Za-z0-9_]{20,}`,
		`github_pat_[A-Za-z0-9_]{20,}`,
		`\b(?:ak|as)-[A-Za-z0-9]{12,}`,
		`\bsk-[A-Za-z0-9_\-]{20,}`,
		`wandb_v1_[A-Za-z0-9_\-]{10,}`,
		`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b`,
		`xox[abposr]-[A-Za-z0-9\-]{10,}`,
		// Prefixed keys of the providers secretscan detects (issue 14).
		`\bxapp-[A-Za-z0-9\-]{20,}`,
		`\bxoxe[.\-][A-Za-z0-9.\-]{20,}`,
		`\b(?:xai|pplx|csk)-[A-Za-z0-9_]{20,}`,
		`\b(?:fw|rpa|esecret|jina)_[A-Za-z0-9]{20,}`,
		`\bsk_[0-9a-f]{40,}`,
		`\bdapi[0-9a-f]{32}`,
		`\beyJhcGlf[A-Za-z0-9+/]{40,}={0,2}`, // a Neptune token: base64 of {"api_…
		// A JWT (OAuth access tokens) is a bearer credential on its own.
		`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*`,
	}, "|"))
})

// labelled match a credential by what stands around it rather than by its
// shape. Group 1 and 3 stay readable, group 2 is masked. Compiled on first
// use, as tokenShapes.
var labelled = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		// Authorization headers: "Bearer <v>", "Basic <v>", GitHub's "token <v>".
		// A bare "token <v>" is not enough: "token /home/…/token" is a path.
		regexp.MustCompile(`(?i)(\b(?:bearer|basic)\s+|\bauthorization:\s*token\s+)([A-Za-z0-9._~+/=\-]{16,})()`),
		// The password of a URL such as https://user:secret@host (git remotes).
		regexp.MustCompile(`(://[^\s/:@]+:)([^\s/@]+)(@)`),
	}
})

var (
	mu    sync.RWMutex
	known []string // exact values registered by Secret, longest first
)

// Secret registers a value read from the environment or a file so that String
// masks it wherever it appears, whatever its shape. Surrounding white space
// (a token file's final newline) is not part of the value.
func Secret(value string) {
	value = strings.TrimSpace(value)
	if len(value) < 8 {
		return // too short to mask without wrecking ordinary text
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range known {
		if k == value {
			return
		}
	}
	known = append(known, value)
	sort.Slice(known, func(i, j int) bool { return len(known[i]) > len(known[j]) })
}

// String masks every registered secret and every token-shaped substring of s.
func String(s string) string {
	mu.RLock()
	defer mu.RUnlock()
	for _, k := range known {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, Mask(k))
		}
	}
	// Labelled values first, so that "Bearer hf_…" keeps its scheme word and
	// a URL password keeps the token's prefix and last four.
	for _, re := range labelled() {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			g := re.FindStringSubmatch(m)
			return g[1] + Mask(g[2]) + g[3]
		})
	}
	s = tokenShapes().ReplaceAllStringFunc(s, Mask)
	// The passes above can, for odd values (a secret that itself looks like
	// a mask, or overlaps another), leave or rebuild a registered secret.
	// Remove any that remain; each replacement shortens s, so this ends.
	for again := true; again; {
		again = false
		for _, k := range known {
			if strings.Contains(s, k) {
				s = strings.ReplaceAll(s, k, "…")
				again = true
			}
		}
	}
	return s
}
