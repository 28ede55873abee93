// Package redact turns credential values into forms that are safe to show or
// store: a masked form for people (hf_…wxyz), a fingerprint for state files,
// and a scrubber that masks anything token-shaped in free text.
package redact

import (
	"crypto/sha256"
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
	"github_pat_", "wandb_v1_", "api_org_",
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
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:16]
}

// tokenShapes match credentials by their documented shapes. They are
// deliberately broad: masking a harmless string in a log costs nothing.
var tokenShapes = regexp.MustCompile(strings.Join([]string{
	`hf_[A-Za-z0-9]{20,}`,
	`api_org_[A-Za-z0-9]{20,}`,
	`gh[pousr]_[A-Za-z0-9_]{20,}`,
	`github_pat_[A-Za-z0-9_]{20,}`,
	`\b(?:ak|as)-[A-Za-z0-9]{12,}`,
	`sk-[A-Za-z0-9_\-]{20,}`,
	`wandb_v1_[A-Za-z0-9_\-]{10,}`,
	`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b`,
	`xox[abposr]-[A-Za-z0-9\-]{10,}`,
	`(?i:bearer|basic|token)\s+[A-Za-z0-9._~+/=\-]{16,}`,
}, "|"))

var (
	mu    sync.RWMutex
	known []string // exact values registered by Secret, longest first
)

// Secret registers a value read from the environment or a file so that String
// masks it wherever it appears, whatever its shape.
func Secret(value string) {
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
	for _, k := range known {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, Mask(k))
		}
	}
	mu.RUnlock()
	return tokenShapes.ReplaceAllStringFunc(s, func(m string) string {
		// Keep the scheme word of an Authorization header readable.
		if i := strings.IndexAny(m, " \t"); i > 0 && !strings.ContainsAny(m[:i], "_-") {
			return m[:i+1] + Mask(strings.TrimSpace(m[i:]))
		}
		return Mask(m)
	})
}
