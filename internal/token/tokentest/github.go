package tokentest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Valid GitHub tokens; every other token gets 401 Bad credentials.
const (
	// GitHubClassic is a classic personal access token. Its last six
	// characters are the base62 CRC-32 of the 30 before them, as in real
	// tokens, so offline checksum checks accept it.
	GitHubClassic = "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"
	// GitHubFineGrained is a fine-grained personal access token: it always
	// expires (60 days ahead) and has no OAuth scopes.
	GitHubFineGrained = "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"
)

// githubExpirationLayout is the format of GitHub's
// GitHub-Authentication-Token-Expiration header.
const githubExpirationLayout = "2006-01-02 15:04:05 UTC"

// githubBadCredentials is GitHub's answer to an unknown, revoked or expired token.
var githubBadCredentials = map[string]string{
	"message":           "Bad credentials",
	"documentation_url": "https://docs.github.com/rest",
}

// NewGitHub starts a fake GitHub REST API with the default accounts:
// GitHubClassic (alice, scopes repo and workflow) and GitHubFineGrained
// (alice). See NewGitHubWith.
func NewGitHub(behaviour string) (*Server, error) {
	return NewGitHubWith(behaviour, []Account{
		{Token: GitHubClassic, Identity: DefaultUser, Role: "repo, workflow"},
		{Token: GitHubFineGrained, Identity: DefaultUser},
	})
}

// NewGitHubWith starts a fake GitHub REST API that accepts the accounts'
// tokens; point GITHUB_API_URL at its URL. It answers GET /rate_limit and
// GET /user. A classic token (not github_pat_) gets its Role as
// X-OAuth-Scopes (fine-grained and installation tokens get none); /user answers the account's login, or 403 for an
// installation token (ghs_), as GitHub does. Behaviours:
//
//   - ok: the accounts' tokens get 200; fine-grained tokens an expiration
//     60 days ahead
//   - invalid: every token gets 401 Bad credentials
//   - expiring: like ok, but every valid token expires in 2 hours
//   - expired: every token gets 401 Bad credentials, as GitHub answers expired tokens
//   - flaky: the first two requests get 503, then like ok
//   - slow: every answer waits SlowDelay (or until the client gives up)
//   - secret-put-fails-second: like ok, but the second Actions secret PUT
//     answers 403 (once), as a token without access to that repository gets
//
// It also serves the Actions secrets API of repositories, environments and
// organisations (public-key, PUT, GET); see Server.Secret.
//
// Like the real API, a request without Authorization gets 200 with the
// unauthenticated limit of 60 requests an hour, not 401.
func NewGitHubWith(behaviour string, accounts []Account) (*Server, error) {
	f, err := newFake("GitHub", behaviour, "ok", "invalid", "expiring", "expired", "flaky", "slow", "secret-put-fails-second")
	if err != nil {
		return nil, err
	}
	g := &githubFake{fake: f, accounts: accounts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rate_limit", g.rateLimit)
	mux.HandleFunc("GET /user", g.user)
	failPut := 0
	if behaviour == "secret-put-fails-second" {
		failPut = 2
	}
	secrets, err := newGitHubSecrets(failPut)
	if err != nil {
		return nil, err
	}
	secrets.routes(mux, g.authorized)
	s := f.start(mux)
	s.secrets = secrets
	return s, nil
}

type githubFake struct {
	*fake
	accounts []Account
}

// account is the account of the request's token, if it is valid now.
func (g *githubFake) account(r *http.Request) (Account, bool) {
	token, _ := githubToken(r)
	a, ok := byToken(g.accounts, token, "")
	return a, ok && g.behaviour != "invalid" && g.behaviour != "expired"
}

// githubRate is one entry of the rate_limit resources.
type githubRate struct {
	Limit     int   `json:"limit"`
	Used      int   `json:"used"`
	Remaining int   `json:"remaining"`
	Reset     int64 `json:"reset"`
}

func (g *githubFake) rateLimit(w http.ResponseWriter, r *http.Request) {
	if g.misbehave(w, r, map[string]string{"message": "Service Unavailable"}) {
		return
	}
	token, sent := githubToken(r)
	if !sent {
		writeGitHubRateLimit(w, 60)
		return
	}
	a, valid := g.account(r)
	if !valid {
		WriteJSON(w, http.StatusUnauthorized, githubBadCredentials)
		return
	}
	// Fine-grained and installation tokens have permissions, not OAuth scopes.
	fineGrained := strings.HasPrefix(token, "github_pat_")
	if !fineGrained && !strings.HasPrefix(token, "ghs_") {
		w.Header().Set("X-OAuth-Scopes", a.Role)
	}
	var expires time.Time
	switch {
	case g.behaviour == "expiring":
		expires = time.Now().Add(2 * time.Hour)
	case fineGrained:
		expires = time.Now().Add(60 * 24 * time.Hour)
	}
	if !expires.IsZero() {
		w.Header().Set("GitHub-Authentication-Token-Expiration", expires.UTC().Format(githubExpirationLayout))
	}
	writeGitHubRateLimit(w, 5000)
}

// authorized answers 401 for anything but a valid token and reports
// whether the request may go on.
func (g *githubFake) authorized(w http.ResponseWriter, r *http.Request) bool {
	if _, ok := g.account(r); !ok {
		WriteJSON(w, http.StatusUnauthorized, githubBadCredentials)
		return false
	}
	return true
}

// user answers GET /user: the login of a user's token; an installation
// token gets 403, as from GitHub.
func (g *githubFake) user(w http.ResponseWriter, r *http.Request) {
	if g.misbehave(w, r, map[string]string{"message": "Service Unavailable"}) || !g.authorized(w, r) {
		return
	}
	a, _ := g.account(r)
	if token, _ := githubToken(r); strings.HasPrefix(token, "ghs_") || a.Identity == "" {
		WriteJSON(w, http.StatusForbidden, map[string]string{
			"message":           "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
		})
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"login": a.Identity, "id": 1000 + len(a.Identity), "type": "User",
		"html_url": "https://github.com/" + a.Identity,
	})
}

// githubToken returns the token of an "Authorization: Bearer <t>" or
// "Authorization: token <t>" header, and whether any Authorization was sent.
func githubToken(r *http.Request) (token string, sent bool) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "token") {
		return "", true
	}
	return token, true
}

// writeGitHubRateLimit answers with the core limit given (5000 for a token,
// 60 without one), one request used.
func writeGitHubRateLimit(w http.ResponseWriter, limit int) {
	reset := time.Now().Add(time.Hour).Unix()
	core := githubRate{Limit: limit, Used: 1, Remaining: limit - 1, Reset: reset}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(core.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(core.Remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(core.Used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(core.Reset, 10))
	h.Set("X-RateLimit-Resource", "core")
	WriteJSON(w, http.StatusOK, map[string]any{
		"resources": map[string]githubRate{
			"core":        core,
			"search":      {Limit: 30, Remaining: 30, Reset: reset},
			"graphql":     {Limit: limit, Remaining: limit, Reset: reset},
			"code_search": {Limit: 10, Remaining: 10, Reset: reset},
		},
		"rate": core,
	})
}

// What follows is shared by the HTTP fakes of this package (GitHub, W&B,
// OpenAI, Anthropic).

// fake is the state every HTTP fake shares.
type fake struct {
	behaviour string
	seen      atomic.Int64  // requests so far, for the flaky sequence
	stopping  chan struct{} // closed by Close, so slow answers end at once
}

// newFake checks behaviour against the service's valid ones.
func newFake(service, behaviour string, valid ...string) (*fake, error) {
	if !slices.Contains(valid, behaviour) {
		return nil, fmt.Errorf("unknown fake %s behaviour %q (valid: %s)", service, behaviour, strings.Join(valid, ", "))
	}
	return &fake{behaviour: behaviour, stopping: make(chan struct{})}, nil
}

// start serves h. Its Close first releases the slow answers: httptest waits
// for every running handler, so a client that never gives up would otherwise
// hold Close for SlowDelay.
func (f *fake) start(h http.Handler) *Server {
	s := StartHTTP(h)
	stop := s.close
	var once sync.Once
	s.close = func() {
		once.Do(func() { close(f.stopping) })
		stop()
	}
	return s
}

// misbehave applies the flaky and slow behaviours, answering 503 with
// unavailable as the body on the first two requests of a flaky fake. It
// reports whether the request is finished, so the handler must not answer.
func (f *fake) misbehave(w http.ResponseWriter, r *http.Request, unavailable any) bool {
	n := f.seen.Add(1)
	switch f.behaviour {
	case "flaky":
		if n <= 2 {
			WriteJSON(w, http.StatusServiceUnavailable, unavailable)
			return true
		}
	case "slow":
		// net/http notices a client hanging up only once the request body
		// has been read, so read it first and hand the handler a copy.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return true
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		timer := time.NewTimer(SlowDelay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return true
		case <-f.stopping:
			// Drop the connection: the client sees the server go away.
			panic(http.ErrAbortHandler)
		}
	}
	return false
}

// WriteJSON answers with status and v encoded as JSON; every fake answers this way.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
