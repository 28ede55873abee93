// Package hub is tokenguard's one Hugging Face Hub client: token
// introspection (whoami-v2, auth-check), repository info and creation,
// preupload, the git LFS batch API with basic and multipart transfers, the
// NDJSON commit, file listing, and the upload workflow built on them; also
// how Hub remotes and repository ids are written. Every request goes
// through the shared retry policy (internal/retry); the commit, which is
// not idempotent, is retried only after checking that the earlier attempt
// did not land.
package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/retry"
)

// Client talks to one Hub endpoint with one token.
type Client struct {
	Endpoint  string       // e.g. https://huggingface.co, no trailing slash
	Token     string       // sent only to Endpoint, never to the storage URLs the Hub hands out
	HTTP      *http.Client // nil: one shared client made by NewHTTP
	Retry     retry.Policy
	UserAgent string // tokenguard-<tool>/<version>: each binary names itself
	// A storage upload that takes longer than StallTimeout plus its size at
	// MinRate is cut and retried: a connection that silently stopped
	// moving would otherwise hang the upload forever. Zero values mean 60 s
	// and 64 KiB/s.
	StallTimeout time.Duration
	MinRate      int64
}

// uploadTimeout is how long sending n bytes to the storage may take.
func (c *Client) uploadTimeout(n int64) time.Duration {
	base, rate := c.StallTimeout, c.MinRate
	if base <= 0 {
		base = 60 * time.Second
	}
	if rate <= 0 {
		rate = 64 << 10
	}
	return base + time.Duration(n/rate)*time.Second
}

// Repo is a repository and the branch to work on.
type Repo struct {
	ID       string // namespace/name
	Type     string // model, dataset or space
	Revision string // branch; "" is main
}

func (r Repo) rev() string {
	if r.Revision == "" {
		return "main"
	}
	return r.Revision
}

// api is the repository's API path: /api/models/alice/bert.
func (r Repo) api() string { return "/api/" + r.Type + "s/" + r.ID }

// git is the repository's git path: /alice/bert.git, /datasets/alice/x.git.
func (r Repo) git() string {
	if r.Type == "model" {
		return "/" + r.ID + ".git"
	}
	return "/" + r.Type + "s/" + r.ID + ".git"
}

// String is how messages name the repository: "model alice/bert@main".
func (r Repo) String() string { return r.Type + " " + r.ID + "@" + r.rev() }

// Error is an answer of the Hub that is not a success: its status and the
// Hub's own words, from X-Error-Code, X-Error-Message or the JSON error.
type Error struct {
	Op         string // what was being done: "preupload", "commit", …
	StatusCode int
	Code       string // X-Error-Code, when sent
	Message    string // X-Error-Message, the JSON "error", or the start of the body
	RequestID  string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: the Hub answered %d %s", e.Op, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// ErrBadAnswer means the Hub answered with a success status but a body
// that could not be read as the expected JSON.
var ErrBadAnswer = errors.New("failed to read the Hub's answer")

// maxAnswer bounds what is read of a JSON answer.
const maxAnswer = 64 << 20

// apiError reads a failed answer into an *Error and closes the body.
func apiError(op string, resp *http.Response) *Error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &Error{Op: op, StatusCode: resp.StatusCode, Code: resp.Header.Get("X-Error-Code"),
		Message: resp.Header.Get("X-Error-Message"), RequestID: resp.Header.Get("X-Request-Id")}
	if e.Message == "" {
		var j struct {
			Error   any    `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &j) == nil {
			switch v := j.Error.(type) {
			case string:
				e.Message = v
			case map[string]any:
				if m, ok := v["message"].(string); ok {
					e.Message = m
				}
			}
			if e.Message == "" {
				e.Message = j.Message
			}
		}
	}
	if e.Message == "" {
		e.Message = strings.Join(strings.Fields(string(body)), " ")
		if len(e.Message) > 300 {
			e.Message = e.Message[:300] + "…"
		}
	}
	return e
}

// onEndpoint reports whether a URL the Hub handed out is on the Hub itself,
// so the token may go with it. Storage URLs are presigned and get no token.
func (c *Client) onEndpoint(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	e, err := url.Parse(c.Endpoint)
	return err == nil && u.Scheme == e.Scheme && u.Host == e.Host
}

// request describes one HTTP call; body builds a fresh body per attempt.
type request struct {
	op, method, url string
	contentType     string
	accept          string
	auth            bool
	header          map[string]string
	body            func() (io.Reader, int64, error) // nil: no body
	// timeout bounds each attempt, as http.Client.Timeout does, so that a
	// stalled attempt fails as a retryable timeout; 0 is none.
	timeout time.Duration
}

// send makes the call through the retry policy and returns the final
// response, 2xx or not, for the caller to read and close. Retryable statuses
// and network errors are retried by the policy.
func (c *Client) send(ctx context.Context, rq request) (*http.Response, error) {
	hc := c.httpClient()
	if rq.timeout > 0 {
		copied := *c.httpClient()
		copied.Timeout = rq.timeout
		hc = &copied
	}
	resp, err := c.policy(rq.op).DoHTTP(ctx, hc, func(ctx context.Context) (*http.Request, error) {
		var body io.Reader
		var size int64 = -1
		if rq.body != nil {
			b, n, err := rq.body()
			if err != nil {
				return nil, err
			}
			body, size = b, n
		}
		req, err := http.NewRequestWithContext(ctx, rq.method, rq.url, body)
		if err != nil {
			return nil, err
		}
		if size >= 0 {
			req.ContentLength = size
			if size == 0 {
				req.Body = http.NoBody
			}
		}
		if rq.contentType != "" {
			req.Header.Set("Content-Type", rq.contentType)
		}
		if rq.accept != "" {
			req.Header.Set("Accept", rq.accept)
		}
		for k, v := range rq.header {
			req.Header.Set(k, v)
		}
		if rq.auth && c.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.Token)
		}
		if c.UserAgent != "" {
			req.Header.Set("User-Agent", c.UserAgent)
		}
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rq.op, err)
	}
	return resp, nil
}

// policy is the retry policy with the operation named in what OnRetry sees.
func (c *Client) policy(op string) retry.Policy {
	p := c.Retry
	if on := p.OnRetry; on != nil {
		p.OnRetry = func(a retry.Attempt) {
			a.Err = fmt.Errorf("%s: %w", op, a.Err)
			on(a)
		}
	}
	return p
}

// jsonCall sends rq and decodes a 2xx JSON answer into out (nil: ignore the
// body). Any other status is an *Error.
func (c *Client) jsonCall(ctx context.Context, rq request, out any) error {
	resp, err := c.send(ctx, rq)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(rq.op, resp)
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(out); err != nil {
		return fmt.Errorf("%s: %w: %w", rq.op, ErrBadAnswer, err)
	}
	return nil
}

// jsonBody is a body builder for a value encoded once.
func jsonBody(v any) (func() (io.Reader, int64, error), error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return func() (io.Reader, int64, error) { return bytes.NewReader(data), int64(len(data)), nil }, nil
}

// IsStatus reports whether err is an *Error with one of the statuses.
func IsStatus(err error, codes ...int) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.StatusCode == c {
			return true
		}
	}
	return false
}
