package token

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestUserAgentIsTheCommands checks what a loopback server receives: every
// request of a check, the Hub's whoami and auth-check (sent by the hub
// client) as well as another provider's, carries the User-Agent the
// command gave the Checker, not one fixed in the token package.
func TestUserAgentIsTheCommands(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{} // path → User-Agent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Get("User-Agent")
		mu.Unlock()
		switch r.URL.Path {
		case "/api/whoami-v2":
			_, _ = w.Write([]byte(`{"name":"alice","auth":{"accessToken":{"role":"write"}}}`))
		case "/api/models/alice/bert/auth-check/write":
			_, _ = w.Write([]byte(`{}`))
		default:
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		}
	}))
	defer srv.Close()

	k, _ := newChecker(t, map[string]string{"HF_TOKEN": hfToken(), "HF_ENDPOINT": srv.URL,
		"GH_TOKEN": githubPAT(), "GITHUB_API_URL": srv.URL})
	k.UserAgent = "tokenguard-testtool/1.2.3"
	results := k.Check(context.Background(), []Requirement{
		{Provider: "hf", Level: "write", Repo: "alice/bert", RepoType: "model"},
		{Provider: "github"},
	})
	if results[0].Status != Valid || results[1].Status != Invalid {
		t.Fatalf("hf %s (%s), github %s (%s); want valid and invalid", results[0].Status, results[0].Reason, results[1].Status, results[1].Reason)
	}
	want := []string{"/api/whoami-v2", "/api/models/alice/bert/auth-check/write", "/rate_limit"}
	for _, p := range want {
		if ua, ok := seen[p]; !ok || ua != k.UserAgent {
			t.Errorf("%s: User-Agent %q (asked: %v); want %q", p, ua, ok, k.UserAgent)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("requests to %v; want exactly %v", seen, want)
	}
}
