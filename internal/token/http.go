package token

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds what is read of any answer: the checks need a few KiB.
const maxBody = 1 << 20

// call sends a request built afresh for each attempt through the retry
// policy, with the binary's User-Agent, and returns the final status,
// headers and body.
func (l Live) call(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (int, http.Header, []byte, error) {
	resp, err := l.Retry.DoHTTP(ctx, l.HTTP, func(ctx context.Context) (*http.Request, error) {
		req, err := newReq(ctx)
		if err == nil && l.UserAgent != "" {
			req.Header.Set("User-Agent", l.UserAgent)
		}
		return req, err
	})
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("failed to read the answer: %w", err)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// get builds a GET request with one header set.
func get(url, header, value string) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set(header, value)
		return req, nil
	}
}

// unreachable marks a result Unknown after the retries gave up.
func unreachable(r *Result, title, endpoint string, err error) {
	r.Status = Unknown
	r.Reason = fmt.Sprintf("could not reach %s at %s: %v", title, endpoint, err)
	r.Kind = KindUnreachable
}

// unexpected marks a result Unknown after an answer the check does not understand.
func unexpected(r *Result, title string, status int, body []byte) {
	r.Status = Unknown
	r.Reason = fmt.Sprintf("%s answered HTTP %d: %s", title, status, snippet(body))
	r.Hint = "try again later; if it persists, check the service's status page"
}

// snippet is the start of a body, on one line, for error messages.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

// endpoint reads a base URL from the environment, with its trailing slash stripped.
func endpoint(env Env, name, def string) string {
	if v := strings.TrimSpace(env.Get(name)); v != "" {
		return strings.TrimRight(v, "/")
	}
	return def
}
