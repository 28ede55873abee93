package hub

import (
	"encoding/json"
	"testing"
)

// TestWhoAmICanWrite reads whoami-v2 answers shaped as the Hub documents
// them: a write token, a read token, and fine-grained tokens with and
// without repo.write.
func TestWhoAmICanWrite(t *testing.T) {
	for body, want := range map[string]bool{
		`{"name":"alice","auth":{"accessToken":{"role":"write","createdAt":"2026-01-02T03:04:05.000Z"}}}`:                                                                true,
		`{"name":"alice","auth":{"accessToken":{"role":"read"}}}`:                                                                                                        false,
		`{"name":"alice","auth":{"accessToken":{"role":"fineGrained","fineGrained":{"scoped":[{"permissions":["repo.content.read"]},{"permissions":["repo.write"]}]}}}}`: true,
		`{"name":"alice","auth":{"accessToken":{"role":"fineGrained","fineGrained":{"scoped":[{"permissions":["repo.content.read"]}]}}}}`:                                false,
	} {
		var w WhoAmI
		if err := json.Unmarshal([]byte(body), &w); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if w.Name != "alice" || w.CanWrite() != want {
			t.Errorf("%s: name %q, CanWrite %v; want alice, %v", body, w.Name, w.CanWrite(), want)
		}
	}
	if got := AuthCheckPath("dataset", "alice/corpus"); got != "/api/datasets/alice/corpus/auth-check/write" {
		t.Errorf("AuthCheckPath = %q", got)
	}
}
