package redact

import (
	"strings"
	"testing"
)

// The prefixed keys secretscan detects are masked in free text too, so a
// log line that quotes one does not carry it.
func TestStringMasksDetectedFormats(t *testing.T) {
	for _, v := range []string{
		"xapp-1-A07QW2N9K4R-7845123690412-3c9e0b7d1f5a42c8b6e4d2a0f9c7e5b3",
		"xoxe.xoxp-1-Mi0yLTc4NDUxMjM2OTA0MTItNzg0NTEyMzY5MDQxMi03ODQ1",
		"xoxe-1-My0xLTc4NDUxMjM2OTA0MTItMTgxNTAxNDg5NzEwNC0xODE1MDE0",
		"xai-Qm9vZ2xlQ2xvdWRTdG9yYWdlS2V5c0FyZU5vdFNlY3JldHNC",
		"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",
		"csk-4k9mw2xt7bn5ql8vh3cj6pf1sd0ga3ey9uz2io7wk5nm8tb6",
		"fw_3ZkRm8Tq2WxN5bLp7VcY9sHd",
		"rpa_7QK2M9XR4T8WN5BLP3VCY6SHD1GA0EJ3UZ9IO2WK7NM5",
		"esecret_4k9mw2xt7bn5ql8vh3cj6pf1sd",
		"jina_3c9e0b7d1f5a42c8b6e4d2a0f9c7e5b3Rk3mW9xT2bN7",
		"sk_3c9e0b7d1f5a42c8b6e4d2a0f9c7e5b3a1d8f6c4e2b0a9d7",
		"dapi4b9e2c7a1f3d48e6a0c5b8d2e7f1a3c9",
		"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",
		"eyJhcGlfYWRkcmVzcyI6Imh0dHBzOi8vYXBwLm5lcHR1bmUuYWkiLCJhcGlfa2V5IjoiN2MxZSJ9",
	} {
		out := String("request failed with key " + v + ", retrying")
		if strings.Contains(out, v[len(v)-12:len(v)-4]) {
			t.Errorf("%s: not masked: %s", v, out)
		}
	}
	if out := String("the fw_version and rpa_status fields"); out != "the fw_version and rpa_status fields" {
		t.Errorf("ordinary words masked: %s", out)
	}
}
