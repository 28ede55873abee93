// Package hubtest runs a fake Hugging Face Hub on loopback that speaks the
// Hub's HTTP API: whoami, auth-check, repository creation, preupload, the
// git LFS batch API with basic and multipart transfers and verify, and the
// NDJSON commit, over repositories kept in memory that tests can read back.
// Named behaviours and fault rules (see ParseFault) make it misbehave. Unit
// tests and the fakehub and hubfake testscript commands use it; point
// HF_ENDPOINT at its URL. The official JavaScript client is run against it
// in internal/hub/conformance.
package hubtest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
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

// New starts a fake Hub with the named behaviour (see behaviours) and the
// default options. It answers:
//
//	GET  /api/whoami-v2
//	GET  /api/{models|datasets|spaces}/{namespace}/{name}/auth-check/write
//	POST /api/repos/create
//	GET  /api/{type}s/{namespace}/{name}/revision/{rev}, …/commits/{rev}, …/tree/{rev}
//	POST /api/{type}s/{namespace}/{name}/preupload/{rev}, …/commit/{rev}
//	POST /{""|datasets/|spaces/}{namespace}/{name}.git/info/lfs/objects/batch, …/verify
//	and the LFS storage URLs the batch hands out;
//	GET  /api/{models|datasets|spaces}?author=… (the repositories added with AddGitRepo),
//	GET  /api/{type}s/{namespace}/{name}/discussions?p=N, …/discussions/{num} (theirs)
//	and git fetches of those repositories, served by `git http-backend`.
//
// Repositories whose name starts with "missing" do not exist until they
// are created; every other repository exists, with the Hub's initial commit.
func New(behaviour string) (*tokentest.Server, error) {
	h, err := Start(Options{Behaviour: behaviour})
	if err != nil {
		return nil, err
	}
	return h.Server, nil
}

// Options configure a fake Hub.
type Options struct {
	Behaviour string // see behaviours; "" is ok
	// ChunkSize is the part size of multipart uploads, which objects larger
	// than it get; 0 is 8 MiB.
	ChunkSize int64
	// Sink keeps no LFS bytes: uploads are counted and checked for size
	// only, so that a benchmark measures the client, not the fake.
	Sink bool
	// Faults are rules applied to requests from the start; Hub.AddFault
	// adds more later.
	Faults []Fault
	// Seed drives the random choices of rules with a Rate.
	Seed uint64
	// ListPage is how many repositories a page of the listing API holds
	// (the Hub's default is 1000); more pages follow through the Link header.
	ListPage int
}

// Hub is a running fake Hub.
type Hub struct {
	*tokentest.Server
	h *hub
}

// Start starts a fake Hub.
func Start(opts Options) (*Hub, error) {
	if opts.Behaviour == "" {
		opts.Behaviour = "ok"
	}
	if !slices.Contains(behaviours, opts.Behaviour) {
		return nil, fmt.Errorf("unknown fake Hub behaviour %q (valid: %s)", opts.Behaviour, strings.Join(behaviours, ", "))
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 8 << 20
	}
	h := &hub{behaviour: opts.Behaviour, opts: opts, faults: newFaults(opts.Seed, opts.Faults), uploads: map[string]*pending{}}
	srv := tokentest.StartHTTP(h.routes())
	h.url = srv.URL
	return &Hub{Server: srv, h: h}, nil
}

// hub is the fake's state; each endpoint is one of its methods.
type hub struct {
	behaviour string
	opts      Options
	url       string
	seen      atomic.Int64 // requests so far, for the rate-limited and flaky sequences
	store     store
	faults    *faults

	upMu    sync.Mutex
	uploads map[string]*pending // LFS uploads handed out and not completed, by id

	gitMu    sync.Mutex
	gitRepos map[string]*gitRepo // served over git and listed, by kind/id
}

func (h *hub) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern, kind string, fn http.HandlerFunc) {
		mux.HandleFunc(pattern, h.faults.wrap(kind, fn))
	}
	handle("GET /api/whoami-v2", "whoami", h.whoami)
	handle("GET /api/{kind}/{namespace}/{name}/auth-check/write", "auth-check", h.authCheckWrite)
	handle("POST /api/repos/create", "create", h.createRepo)
	handle("GET /api/{kind}/{namespace}/{name}/revision/{rev}", "revision", h.revision)
	handle("GET /api/{kind}/{namespace}/{name}/commits/{rev}", "commits", h.commits)
	handle("GET /api/{kind}/{namespace}/{name}/tree/{rev}", "tree", h.tree)
	handle("GET /api/{kind}/{namespace}/{name}/tree/{rev}/{path...}", "tree", h.tree)
	handle("POST /api/{kind}/{namespace}/{name}/preupload/{rev}", "preupload", h.preupload)
	handle("POST /api/{kind}/{namespace}/{name}/commit/{rev}", "commit", h.commit)
	handle("POST /{namespace}/{namegit}/info/lfs/objects/batch", "batch", h.batch)
	handle("POST /{kind}/{namespace}/{namegit}/info/lfs/objects/batch", "batch", h.batch)
	handle("POST /{namespace}/{namegit}/info/lfs/objects/verify", "verify", h.verify)
	handle("POST /{kind}/{namespace}/{namegit}/info/lfs/objects/verify", "verify", h.verify)
	handle("PUT /lfs-storage/{id}", "upload", h.uploadBasic)
	handle("PUT /lfs-storage/{id}/{part}", "part", h.uploadPart)
	handle("POST /lfs-storage/{id}/complete", "complete", h.complete)
	handle("GET /{namespace}/{name}/info/refs", "git", h.gitInfoRefs)
	handle("GET /{kind}/{namespace}/{name}/info/refs", "git", h.gitInfoRefs)
	handle("POST /{namespace}/{name}/git-upload-pack", "git", h.gitUploadPack)
	handle("POST /{kind}/{namespace}/{name}/git-upload-pack", "git", h.gitUploadPack)
	handle("GET /api/{kind}", "list", h.listRepos)
	handle("GET /api/{kind}/{namespace}/{name}/discussions", "discussions", h.listDiscussions)
	handle("GET /api/{kind}/{namespace}/{name}/discussions/{num}", "discussions", h.discussionDetails)
	handle("POST /{namespace}/{name}/git-receive-pack", "git", h.gitReceivePack)
	handle("POST /{kind}/{namespace}/{name}/git-receive-pack", "git", h.gitReceivePack)
	mux.HandleFunc("/", h.notFound)
	return h.behave(mux)
}

// behave applies the behaviours that happen before the Hub looks at a
// request: rate limiting, unavailability and slowness.
func (h *hub) behave(next http.Handler) http.Handler {
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

// writeJSON answers with status and v encoded as JSON, as every fake does.
var writeJSON = tokentest.WriteJSON
