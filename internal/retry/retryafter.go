package retry

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfter reads the wait a server asked for: Retry-After in seconds or as
// an HTTP-date, else the reset of the IETF RateLimit header
// (`RateLimit: "api";r=0;t=27` gives 27s, as the Hugging Face Hub sends it)
// or of the older `RateLimit-Reset: 27`. ok is false when none is present or
// parsable. d is never negative: a date in the past means "now".
//
// The RateLimit reset is only a request to wait on a 429; on other responses
// it merely reports quota. Do applies it to 429s only; other callers should
// do the same.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if d, ok := retryAfterHeader(h, now); ok {
		return d, true
	}
	return rateLimitReset(h)
}

// retryAfterHeader parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an
// HTTP-date.
func retryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if d, ok := parseSeconds(v); ok {
		return d, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// rateLimitReset reads the reset from the RateLimit header fields.
//
// The current IETF draft (draft-ietf-httpapi-ratelimit-headers) sends a list
// of policies, `RateLimit: "a";r=0;t=27, "b";r=10;t=5`, where r is the quota
// left and t the seconds until it resets. Older drafts sent
// `RateLimit: limit=100, remaining=0, reset=27` or a separate RateLimit-Reset.
// With several policies, the exhausted ones (r=0) are what blocked us, and we
// must wait for the last of them to reset.
func rateLimitReset(h http.Header) (time.Duration, bool) {
	if v := h.Get("RateLimit"); v != "" {
		var exhausted, longest time.Duration
		var foundExhausted, found bool
		for _, member := range splitOutside(v, ',') {
			reset, hasReset := time.Duration(0), false
			remainingZero := false
			for _, param := range splitOutside(member, ';') {
				key, val, ok := strings.Cut(param, "=")
				if !ok {
					continue // the policy name, or a bare flag
				}
				switch strings.ToLower(strings.TrimSpace(key)) {
				case "t", "reset":
					reset, hasReset = parseSeconds(strings.TrimSpace(val))
				case "r", "remaining":
					remainingZero = strings.TrimSpace(val) == "0"
				}
			}
			if !hasReset {
				continue
			}
			found = true
			longest = max(longest, reset)
			if remainingZero {
				foundExhausted = true
				exhausted = max(exhausted, reset)
			}
		}
		if foundExhausted {
			return exhausted, true
		}
		if found {
			return longest, true
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		return parseSeconds(v)
	}
	return 0, false
}

// parseSeconds parses a non-negative whole number of seconds (only digits, as
// in delay-seconds). Absurdly large values saturate instead of overflowing;
// the caller caps the wait anyway.
func parseSeconds(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	// Only digits, so the only possible error is overflow.
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > math.MaxInt64/uint64(time.Second) {
		return time.Duration(math.MaxInt64), true
	}
	return time.Duration(n) * time.Second, true
}

// splitOutside splits s at sep, ignoring separators inside double-quoted
// strings (a policy name may contain commas or semicolons).
func splitOutside(s string, sep byte) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++ // skip the escaped character
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
