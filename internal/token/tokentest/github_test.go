package tokentest

import (
	"encoding/json"
	"hash/crc32"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// githubRequest is GET /rate_limit with the Authorization header given
// (none when empty).
func githubRequest(t *testing.T, url, authorization string) *http.Request {
	req := newRequest(t, http.MethodGet, url+"/rate_limit", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return req
}

func TestGitHubClassicChecksum(t *testing.T) {
	if !regexp.MustCompile(`^ghp_[A-Za-z0-9]{36}$`).MatchString(GitHubClassic) {
		t.Fatalf("GitHubClassic does not look like a classic token")
	}
	body := strings.TrimPrefix(GitHubClassic, "ghp_")
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sum := crc32.ChecksumIEEE([]byte(body[:30]))
	want := make([]byte, 6)
	for i := len(want) - 1; i >= 0; i-- {
		want[i] = base62[sum%62]
		sum /= 62
	}
	if got := body[30:]; got != string(want) {
		t.Errorf("checksum = %s, want %s", got, want)
	}
}

func TestGitHubFineGrainedShape(t *testing.T) {
	if !regexp.MustCompile(`^github_pat_[A-Za-z0-9_]{82}$`).MatchString(GitHubFineGrained) {
		t.Errorf("GitHubFineGrained does not look like a fine-grained token")
	}
}

func TestGitHubOK(t *testing.T) {
	s := startFake(t, NewGitHub, "ok")

	for _, auth := range []string{"Bearer " + GitHubClassic, "token " + GitHubClassic} {
		resp, body := send(t, githubRequest(t, s.URL, auth))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status = %d, body %s", auth[:6], resp.StatusCode, body)
		}
		if got := resp.Header.Get("X-OAuth-Scopes"); got != "repo, workflow" {
			t.Errorf("X-OAuth-Scopes = %q", got)
		}
		if got := resp.Header.Get("GitHub-Authentication-Token-Expiration"); got != "" {
			t.Errorf("classic token without expiry has expiration %q", got)
		}
		if got := rateLimit(t, body); got != 5000 {
			t.Errorf("core limit = %d, want 5000", got)
		}
	}

	resp, body := send(t, githubRequest(t, s.URL, "Bearer "+GitHubFineGrained))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("fine-grained: status = %d, body %s", resp.StatusCode, body)
	}
	if _, ok := resp.Header["X-Oauth-Scopes"]; ok {
		t.Errorf("fine-grained token has X-OAuth-Scopes")
	}
	wantExpiration(t, resp, 60*24*time.Hour)
}

func TestGitHubBadCredentials(t *testing.T) {
	s := startFake(t, NewGitHub, "ok")
	for _, auth := range []string{"Bearer ghp_wrong", "Basic " + GitHubClassic, "Bearer"} {
		resp, body := send(t, githubRequest(t, s.URL, auth))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%q: status = %d, want 401", auth, resp.StatusCode)
		}
		wantJSON(t, body, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)
	}
}

func TestGitHubUnauthenticated(t *testing.T) {
	s := startFake(t, NewGitHub, "ok")
	resp, body := send(t, githubRequest(t, s.URL, ""))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200 like the real API", resp.StatusCode)
	}
	if got := rateLimit(t, body); got != 60 {
		t.Errorf("core limit = %d, want 60", got)
	}
	if got := resp.Header.Get("X-RateLimit-Limit"); got != "60" {
		t.Errorf("X-RateLimit-Limit = %q, want 60", got)
	}
}

func TestGitHubExpiring(t *testing.T) {
	s := startFake(t, NewGitHub, "expiring")
	for _, token := range []string{GitHubClassic, GitHubFineGrained} {
		resp, body := send(t, githubRequest(t, s.URL, "Bearer "+token))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, body %s", resp.StatusCode, body)
		}
		wantExpiration(t, resp, 2*time.Hour)
	}
}

func TestGitHubExpired(t *testing.T) {
	s := startFake(t, NewGitHub, "expired")
	resp, body := send(t, githubRequest(t, s.URL, "Bearer "+GitHubClassic))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
	wantJSON(t, body, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)
}

// rateLimit returns resources.core.limit of a /rate_limit body, checking
// that rate repeats it.
func rateLimit(t *testing.T, body string) int {
	t.Helper()
	var got struct {
		Resources map[string]githubRate `json:"resources"`
		Rate      githubRate            `json:"rate"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Resources["core"] != got.Rate {
		t.Errorf("rate %+v differs from resources.core %+v", got.Rate, got.Resources["core"])
	}
	if got.Rate.Reset <= time.Now().Unix() {
		t.Errorf("reset %d is not in the future", got.Rate.Reset)
	}
	return got.Rate.Limit
}

// wantExpiration checks the expiration header is about in from now.
func wantExpiration(t *testing.T, resp *http.Response, in time.Duration) {
	t.Helper()
	header := resp.Header.Get("GitHub-Authentication-Token-Expiration")
	expires, err := time.Parse("2006-01-02 15:04:05 MST", header)
	if err != nil {
		t.Fatalf("expiration header %q: %v", header, err)
	}
	if d := time.Until(expires) - in; d < -time.Minute || d > time.Minute {
		t.Errorf("expiration %q is not %v from now", header, in)
	}
}
