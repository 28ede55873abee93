// Package hubtest runs a fake Hugging Face Hub on loopback that speaks the
// Hub's HTTP API, with named behaviours that inject faults. Unit tests and
// the fakehub testscript command use it; point HF_ENDPOINT at its URL.
package hubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// behaviours are the names New accepts:
//
//   - ok: the valid tokens work
//   - invalid: every token gets 401
//   - expiring: like ok, but whoami reports auth.expiresAt 2 hours ahead,
//     as for OAuth tokens
//   - expired: every token gets 401, as the Hub answers expired tokens
//   - rate-limited: the first request gets 429 with Retry-After: 1, then like ok
//   - flaky: the first two requests get 503, then like ok
//   - slow: every answer waits tokentest.SlowDelay (or until the client gives up)
var behaviours = []string{"ok", "invalid", "expiring", "expired", "rate-limited", "flaky", "slow"}

// invalidCredentials is the Hub's message for a missing, unknown or expired token.
const invalidCredentials = "Invalid credentials in Authorization header"

// New starts a fake Hub with the named behaviour (see behaviours). It
// answers:
//
//	GET /api/whoami-v2
//	GET /api/{models|datasets|spaces}/{namespace}/{name}/auth-check/write
//
// Repositories whose name starts with "missing" do not exist.
func New(behaviour string) (*tokentest.Server, error) {
	if !slices.Contains(behaviours, behaviour) {
		return nil, fmt.Errorf("unknown fake Hub behaviour %q (valid: %s)", behaviour, strings.Join(behaviours, ", "))
	}
	h := &hub{behaviour: behaviour}
	return tokentest.StartHTTP(h.routes()), nil
}

// hub is the fake's state; each endpoint is one of its methods.
type hub struct {
	behaviour string
	seen      atomic.Int64 // requests so far, for the rate-limited and flaky sequences
}

func (h *hub) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/whoami-v2", h.whoami)
	mux.HandleFunc("GET /api/{kind}/{namespace}/{name}/auth-check/write", h.authCheckWrite)
	mux.HandleFunc("/", h.notFound)
	return h.faults(mux)
}

// faults applies the behaviours that happen before the Hub looks at a
// request: rate limiting, unavailability and slowness.
func (h *hub) faults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := h.seen.Add(1)
		switch h.behaviour {
		case "rate-limited":
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				w.Header().Set("RateLimit", `"api";r=0;t=1`)
				writeError(w, http.StatusTooManyRequests, "rate limited")
				return
			}
		case "flaky":
			if n <= 2 {
				writeError(w, http.StatusServiceUnavailable, "Service Unavailable")
				return
			}
		case "slow":
			if !waitSlow(r) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// waitSlow holds a request for tokentest.SlowDelay and reports whether the
// client is still waiting. It stops early when the client hangs up, so that
// Close does not wait for abandoned requests.
func waitSlow(r *http.Request) bool {
	// net/http notices a client hanging up only once the request body has
	// been read, so read it first and hand the handler a copy.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	timer := time.NewTimer(tokentest.SlowDelay)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// authenticate returns the grant of the request's bearer token. When there
// is none it answers 401 and reports false.
func (h *hub) authenticate(w http.ResponseWriter, r *http.Request) (grant, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	g, known := grants[token]
	if !ok || !known || h.behaviour == "invalid" || h.behaviour == "expired" {
		writeError(w, http.StatusUnauthorized, invalidCredentials)
		return grant{}, false
	}
	return g, true
}

func (h *hub) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "Sorry, we can't find the page you are looking for.")
}

// writeError answers with the Hub's error body.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
