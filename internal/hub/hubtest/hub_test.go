package hubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// start starts a fake Hub and closes it when the test ends.
func start(t *testing.T, behaviour string) *tokentest.Server {
	t.Helper()
	s, err := New(behaviour)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// get sends GET url with the bearer token (none when empty) and returns the
// response with its body read.
func get(t *testing.T, url, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// wantError checks an error answer: its status and {"error": message}.
func wantError(t *testing.T, resp *http.Response, body string, status int, message string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var got struct{ Error string }
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("body is not JSON: %s", body)
	}
	if got.Error != message {
		t.Errorf("error = %q, want %q", got.Error, message)
	}
}

func TestTokenShapes(t *testing.T) {
	shape := regexp.MustCompile(`^hf_[A-Za-z0-9]{34}$`)
	digit := regexp.MustCompile(`[0-9]`)
	for _, token := range []string{TokenWrite, TokenRead, TokenFineGrainedWrite, TokenFineGrainedRead} {
		if !shape.MatchString(token) || !digit.MatchString(token[3:]) {
			t.Errorf("%s…: want hf_ and 34 letters and digits, some digits", token[:6])
		}
	}
}

func TestUnknownBehaviour(t *testing.T) {
	_, err := New("sometimes")
	if err == nil || !strings.Contains(err.Error(), `"sometimes"`) || !strings.Contains(err.Error(), "rate-limited") {
		t.Errorf("error = %v, want it to name the behaviour and list the valid ones", err)
	}
}

func TestWhoami(t *testing.T) {
	s := start(t, "ok")
	for _, c := range []struct {
		token, role string
		writeOn     []string // entities whose scoped permissions include repo.write
	}{
		{TokenWrite, "write", nil},
		{TokenRead, "read", nil},
		{TokenFineGrainedWrite, "fineGrained", []string{User, Org}},
		{TokenFineGrainedRead, "fineGrained", nil},
	} {
		resp, body := get(t, s.URL+"/api/whoami-v2", c.token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, body %s", resp.StatusCode, body)
		}
		var got whoamiResponse
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got.Name != "alice" || got.Type != "user" || len(got.Orgs) != 1 || got.Orgs[0].Name != "ml-team" {
			t.Errorf("whoami = %s", body)
		}
		token := got.Auth.AccessToken
		if got.Auth.Type != "access_token" || token.Role != c.role || token.DisplayName != "ci" {
			t.Errorf("%s: auth = %+v", c.role, got.Auth)
		}
		created, err := time.Parse(time.RFC3339, token.CreatedAt)
		if err != nil {
			t.Errorf("createdAt %q: %v", token.CreatedAt, err)
		}
		if age := time.Since(created); age < 39*24*time.Hour || age > 41*24*time.Hour {
			t.Errorf("token age = %v, want 40 days", age)
		}
		if got.Auth.ExpiresAt != "" || strings.Contains(body, "expiresAt") {
			t.Errorf("a token that does not expire has expiresAt")
		}
		if (c.role == "fineGrained") != (token.FineGrained != nil) {
			t.Errorf("%s: fineGrained = %+v", c.role, token.FineGrained)
		}
		var writeOn []string
		if token.FineGrained != nil {
			for _, sc := range token.FineGrained.Scoped {
				if slices.Contains(sc.Permissions, "repo.write") {
					writeOn = append(writeOn, sc.Entity.Name)
				}
			}
		}
		if strings.Join(writeOn, ",") != strings.Join(c.writeOn, ",") {
			t.Errorf("%s: repo.write on %v, want %v", c.role, writeOn, c.writeOn)
		}
	}
}

func TestWhoamiRawShape(t *testing.T) {
	s := start(t, "ok")
	_, body := get(t, s.URL+"/api/whoami-v2", TokenFineGrainedRead)
	// The exact keys clients read, checked without this package's types.
	for _, want := range []string{`"email":null`, `"orgs":[{"type":"org"`, `"accessToken":{"displayName":"ci","role":"fineGrained"`,
		`"scoped":[{"entity":{"_id":"` + userID + `","type":"user","name":"alice"},"permissions":["repo.content.read"]}]`} {
		if !strings.Contains(body, want) {
			t.Errorf("whoami lacks %s:\n%s", want, body)
		}
	}
}

func TestWhoamiRejects(t *testing.T) {
	s := start(t, "ok")
	for _, token := range []string{"", "hf_" + strings.Repeat("x", 34)} {
		resp, body := get(t, s.URL+"/api/whoami-v2", token)
		wantError(t, resp, body, http.StatusUnauthorized, invalidCredentials)
	}
	// The token must come as a bearer token.
	req, err := http.NewRequest(http.MethodGet, s.URL+"/api/whoami-v2", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token "+TokenWrite)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("non-bearer scheme: status = %d, want 401", resp.StatusCode)
	}
}

func TestAuthCheckWrite(t *testing.T) {
	s := start(t, "ok")
	for _, c := range []struct {
		token, repo string
		status      int
	}{
		{TokenWrite, "models/alice/bert", 200},
		{TokenWrite, "datasets/ml-team/corpus", 200},
		{TokenWrite, "spaces/alice/demo", 200},
		{TokenWrite, "models/bob/bert", 403},
		{TokenRead, "models/alice/bert", 403},
		{TokenFineGrainedWrite, "models/alice/bert", 200},
		{TokenFineGrainedWrite, "models/ml-team/bert", 200},
		{TokenFineGrainedWrite, "models/bob/bert", 403},
		{TokenFineGrainedRead, "models/alice/bert", 403},
		{TokenWrite, "models/alice/missing-model", 404},
		{TokenRead, "models/bob/missing", 404},
		{"hf_" + strings.Repeat("x", 34), "models/alice/bert", 401},
		{"", "models/alice/bert", 401},
		{TokenWrite, "buckets/alice/bert", 404},
	} {
		resp, body := get(t, s.URL+"/api/"+c.repo+"/auth-check/write", c.token)
		if resp.StatusCode != c.status {
			t.Errorf("%s on %s: status = %d, want %d; body %s", c.token[:min(len(c.token), 6)], c.repo, resp.StatusCode, c.status, body)
		}
		switch c.status {
		case 200:
			if strings.TrimSpace(body) != "{}" {
				t.Errorf("%s: body = %s, want {}", c.repo, body)
			}
		case 401:
			wantError(t, resp, body, 401, invalidCredentials)
		case 403:
			wantError(t, resp, body, 403, "You don't have write access to "+c.repo+" with this token")
		}
	}
	resp, body := get(t, s.URL+"/api/models/alice/missing-x/auth-check/write", TokenWrite)
	wantError(t, resp, body, http.StatusNotFound, "Repository not found")
}

func TestUnknownPath(t *testing.T) {
	s := start(t, "ok")
	resp, body := get(t, s.URL+"/api/nothing-here", TokenWrite)
	if resp.StatusCode != http.StatusNotFound || !json.Valid([]byte(body)) {
		t.Errorf("status = %d, body %s; want 404 with a JSON error", resp.StatusCode, body)
	}
}

func TestInvalidAndExpired(t *testing.T) {
	for _, behaviour := range []string{"invalid", "expired"} {
		s := start(t, behaviour)
		for _, path := range []string{"/api/whoami-v2", "/api/models/alice/bert/auth-check/write"} {
			resp, body := get(t, s.URL+path, TokenWrite)
			wantError(t, resp, body, http.StatusUnauthorized, invalidCredentials)
		}
	}
}

func TestExpiring(t *testing.T) {
	s := start(t, "expiring")
	resp, body := get(t, s.URL+"/api/whoami-v2", TokenWrite)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.StatusCode, body)
	}
	var got whoamiResponse
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	expires, err := time.Parse(time.RFC3339, got.Auth.ExpiresAt)
	if err != nil {
		t.Fatalf("expiresAt %q: %v", got.Auth.ExpiresAt, err)
	}
	if d := time.Until(expires) - 2*time.Hour; d < -time.Minute || d > time.Minute {
		t.Errorf("expiresAt %s is not 2 hours from now", got.Auth.ExpiresAt)
	}
}

func TestRateLimited(t *testing.T) {
	s := start(t, "rate-limited")
	resp, body := get(t, s.URL+"/api/whoami-v2", TokenWrite)
	wantError(t, resp, body, http.StatusTooManyRequests, "rate limited")
	if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	if got := resp.Header.Get("RateLimit"); got != `"api";r=0;t=1` {
		t.Errorf("RateLimit = %q", got)
	}
	for range 2 {
		if resp, body := get(t, s.URL+"/api/whoami-v2", TokenWrite); resp.StatusCode != http.StatusOK {
			t.Errorf("after the 429: status = %d, body %s", resp.StatusCode, body)
		}
	}
	if got := s.Requests(); got != 3 {
		t.Errorf("Requests() = %d, want 3", got)
	}
}

func TestFlaky(t *testing.T) {
	s := start(t, "flaky")
	paths := []string{"/api/whoami-v2", "/api/models/alice/bert/auth-check/write", "/api/whoami-v2", "/api/models/alice/bert/auth-check/write"}
	for i, want := range []int{503, 503, 200, 200} {
		resp, body := get(t, s.URL+paths[i], TokenWrite)
		if resp.StatusCode != want {
			t.Errorf("request %d: status = %d, want %d; body %s", i+1, resp.StatusCode, want, body)
		}
	}
	if got := s.Requests(); got != 4 {
		t.Errorf("Requests() = %d, want 4", got)
	}
}

func TestSlow(t *testing.T) {
	s := start(t, "slow")
	req, err := http.NewRequest(http.MethodGet, s.URL+"/api/whoami-v2", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+TokenWrite)
	client := &http.Client{Timeout: 200 * time.Millisecond}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("slow fake answered %d before the client timeout", resp.StatusCode)
	}
	if got := s.Requests(); got != 1 {
		t.Errorf("Requests() = %d, want 1", got)
	}
	begin := time.Now()
	s.Close()
	if d := time.Since(begin); d >= tokentest.SlowDelay/2 {
		t.Errorf("Close took %v after the client gave up", d)
	}
}

func TestCanWrite(t *testing.T) {
	// A fine-grained grant without repo.write on the namespace cannot write,
	// whatever its other permissions.
	g := grant{role: "fineGrained", fineGrained: &fineGrained{Scoped: []scoped{
		{Entity: mlTeamEntity, Permissions: []string{"repo.content.read", "inference.serverless.write"}},
	}}}
	if g.canWrite(Org) {
		t.Error("canWrite without repo.write")
	}
}
