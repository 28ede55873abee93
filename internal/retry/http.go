package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// bodyKeep is how much of a failed response body StatusError keeps.
	bodyKeep = 4 << 10
	// drainLimit bounds how much of a failed response we read just so the
	// connection can be reused; past it, closing is cheaper than reading.
	drainLimit = 64 << 10
	// excerptLen bounds the body excerpt in StatusError.Error, so an HTML
	// error page does not flood the terminal.
	excerptLen = 200
)

// StatusError is a retryable HTTP status that persisted past the last attempt.
type StatusError struct {
	StatusCode int
	Header     http.Header
	Body       string // first 4 KiB, for error messages
}

// Error returns the status and a short excerpt of the body.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("server returned %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	// Collapse whitespace: bodies are often pretty-printed JSON or HTML.
	body := strings.Join(strings.Fields(e.Body), " ")
	if body == "" {
		return msg
	}
	if len(body) > excerptLen {
		cut := excerptLen
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut] + "…"
	}
	return msg + ": " + body
}

// RetryableStatus reports whether an HTTP status is worth retrying (408, 429,
// 500, 502, 503, 504): the same set as the official Hugging Face client.
// Other 5xx such as 501 say the server cannot do this at all.
func RetryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout,
		http.StatusTooManyRequests,
		http.StatusInternalServerError,
		http.StatusBadGateway,
		http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// DoHTTP builds a fresh request with newReq for every attempt (so bodies are
// rewound) and sends it with c (nil means http.DefaultClient). newReq must
// build the request with the ctx it is given, so cancellation reaches the
// transport.
//
// 2xx/3xx and non-retryable 4xx (401, 403, 404, 422, …) are returned as
// (resp, nil) for the caller to interpret; the caller closes resp.Body.
// Retryable statuses (see RetryableStatus) are retried; their body is drained
// and closed; if attempts run out the result is (nil, err) where err wraps a
// *StatusError and says how many attempts were made. Network errors are
// retried when Retryable(err); ctx cancellation stops at once and returns an
// error wrapping ctx.Err(). An error from newReq is not retried.
//
// Every request is retried, whatever its method. A POST whose response was
// lost may already have taken effect: for non-idempotent calls (such as a Hub
// commit) use Do with an op that first checks whether the earlier attempt
// landed.
func (p Policy) DoHTTP(ctx context.Context, c *http.Client, newReq func(ctx context.Context) (*http.Request, error)) (*http.Response, error) {
	if c == nil {
		c = http.DefaultClient
	}
	var resp *http.Response
	err := p.Do(ctx, func(ctx context.Context) error {
		req, err := newReq(ctx)
		if err != nil {
			return Permanent(fmt.Errorf("failed to build request: %w", err))
		}
		r, err := c.Do(req)
		if err != nil {
			if Retryable(err) {
				return err
			}
			return Permanent(err)
		}
		if RetryableStatus(r.StatusCode) {
			return readStatusError(r)
		}
		resp = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// readStatusError turns a retryable response into a *StatusError, keeping the
// start of the body for the message and draining the rest so the connection
// can be reused by the next attempt.
func readStatusError(r *http.Response) *StatusError {
	defer r.Body.Close()
	// A body that fails mid-read still leaves a useful status; keep what arrived.
	body, _ := io.ReadAll(io.LimitReader(r.Body, bodyKeep))
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit))
	return &StatusError{
		StatusCode: r.StatusCode,
		Header:     r.Header.Clone(),
		Body:       string(body),
	}
}

// serverWait is the wait the server asked for in a failed response: the
// Retry-After header on any retryable status and, on a 429 only, the
// RateLimit reset (on other statuses that header just reports quota).
func serverWait(err error, now time.Time) (time.Duration, bool) {
	var se *StatusError
	if !errors.As(err, &se) || se.Header == nil {
		return 0, false
	}
	if se.StatusCode == http.StatusTooManyRequests {
		return RetryAfter(se.Header, now)
	}
	return retryAfterHeader(se.Header, now)
}
