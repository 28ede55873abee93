// Package redact turns credential values into forms that are safe to show or
// store: a masked form for people (hf_…wxyz), a fingerprint for state files,
// and a scrubber that masks anything token-shaped in free text.
package redact

import (
	"encoding/hex"
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
	s = replace(s, authHeader)
	s = replace(s, urlPassword)
	s = replace(s, tokenShape)
	return dropKnown(s)
}

// dropKnown removes the registered secrets the passes of String can, for
// odd values (a secret that itself looks like a mask, or overlaps
// another), leave or rebuild; each replacement shortens s, so this ends.
// The caller holds mu.
func dropKnown(s string) string {
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
