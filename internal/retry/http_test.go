package retry

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// recorder is a loopback server that answers with a scripted list of
// statuses (the last one repeats) and records every request body.
type recorder struct {
	mu       sync.Mutex
	bodies   []string
	statuses []int
	header   http.Header // sent with every non-2xx answer
	srv      *httptest.Server
}

func newRecorder(t *testing.T, header http.Header, statuses ...int) *recorder {
	t.Helper()
	r := &recorder{statuses: statuses, header: header}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(body))
		status := r.statuses[min(len(r.bodies), len(r.statuses))-1]
		r.mu.Unlock()
		if status >= 300 {
			for k, v := range r.header {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status)+" body")
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) Requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// post returns a newReq that POSTs payload to url, from a fresh reader each time.
func post(url, payload string) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(payload))
	}
}

func get(url string) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}
}

func TestDoHTTPRetriesThenSucceeds(t *testing.T) {
	rec := newRecorder(t, nil, 503, 503, 200)
	clock := newFakeClock()
	payload := `{"files":[{"path":"model.safetensors","size":42}]}`
	resp, err := testPolicy(clock, 0.5).DoHTTP(context.Background(), rec.srv.Client(), post(rec.srv.URL, payload))
	if err != nil {
		t.Fatalf("DoHTTP: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "OK body" {
		t.Errorf("body %q, want the final response's body", body)
	}
	reqs := rec.Requests()
	if len(reqs) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(reqs))
	}
	for i, b := range reqs {
		if b != payload {
			t.Errorf("request %d body %q, want the payload re-sent in full", i+1, b)
		}
	}
	if got := clock.Sleeps(); len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("slept %v, want [500ms 1s]", got)
	}
}

func TestDoHTTPRetryAfterSeconds(t *testing.T) {
	rec := newRecorder(t, http.Header{"Retry-After": {"3"}}, 429, 200)
	clock := newFakeClock()
	resp, err := testPolicy(clock, 0.999).DoHTTP(context.Background(), rec.srv.Client(), get(rec.srv.URL))
	if err != nil {
		t.Fatalf("DoHTTP: %v", err)
	}
	resp.Body.Close()
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 3*time.Second {
		t.Errorf("slept %v, want [3s] as the server asked", got)
	}
}

func TestDoHTTPRetryAfterDate(t *testing.T) {
	clock := newFakeClock()
	when := clock.Now().Add(42 * time.Second).Format(http.TimeFormat)
	rec := newRecorder(t, http.Header{"Retry-After": {when}}, 503, 200)
	resp, err := testPolicy(clock, 0.999).DoHTTP(context.Background(), rec.srv.Client(), get(rec.srv.URL))
	if err != nil {
		t.Fatalf("DoHTTP: %v", err)
	}
	resp.Body.Close()
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 42*time.Second {
		t.Errorf("slept %v, want [42s] until the server's date", got)
	}
}

func TestDoHTTPRateLimitOn429(t *testing.T) {
	rec := newRecorder(t, http.Header{"RateLimit": {`"api";r=0;t=27`}, "RateLimit-Policy": {`"fixed window";"api";q=500;w=300`}}, 429, 200)
	clock := newFakeClock()
	resp, err := testPolicy(clock, 0).DoHTTP(context.Background(), rec.srv.Client(), get(rec.srv.URL))
	if err != nil {
		t.Fatalf("DoHTTP: %v", err)
	}
	resp.Body.Close()
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 27*time.Second {
		t.Errorf("slept %v, want [27s] from the RateLimit reset", got)
	}
}

func TestDoHTTPNonRetryableStatusReturned(t *testing.T) {
	for _, status := range []int{401, 403, 404, 409, 422, 501} {
		rec := newRecorder(t, nil, status, 200)
		clock := newFakeClock()
		resp, err := testPolicy(clock, 0).DoHTTP(context.Background(), rec.srv.Client(), get(rec.srv.URL))
		if err != nil {
			t.Fatalf("status %d: DoHTTP: %v", status, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("status %d: got %d", status, resp.StatusCode)
		}
		// The caller interprets the answer, so the body must still be readable.
		if want := http.StatusText(status) + " body"; string(body) != want {
			t.Errorf("status %d: body %q, want %q", status, body, want)
		}
		if n := len(rec.Requests()); n != 1 {
			t.Errorf("status %d: server saw %d requests, want 1 (no retry)", status, n)
		}
		if len(clock.Sleeps()) != 0 {
			t.Errorf("status %d: slept %v, want no wait", status, clock.Sleeps())
		}
	}
}

func TestDoHTTPPersistentStatus(t *testing.T) {
	rec := newRecorder(t, http.Header{"X-Request-Id": {"abc"}}, 500)
	clock := newFakeClock()
	resp, err := testPolicy(clock, 0).DoHTTP(context.Background(), rec.srv.Client(), post(rec.srv.URL, "x"))
	if resp != nil {
		t.Errorf("got a response %d, want nil", resp.StatusCode)
	}
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error %v does not wrap a *StatusError", err)
	}
	if se.StatusCode != 500 || se.Body != "Internal Server Error body" || se.Header.Get("X-Request-Id") != "abc" {
		t.Errorf("StatusError = %+v", se)
	}
	if n := len(rec.Requests()); n != 6 {
		t.Errorf("server saw %d requests, want 6 (the default MaxAttempts)", n)
	}
	if want := "failed after 6 attempts: server returned 500 Internal Server Error: Internal Server Error body"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !Retryable(se) {
		t.Error("a 500 StatusError should classify as retryable")
	}
}

func TestDoHTTPConnectionRefused(t *testing.T) {
	// A closed listener gives a port where nothing listens: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close()

	clock := newFakeClock()
	p := testPolicy(clock, 0)
	p.MaxAttempts = 3
	built := 0
	newReq := func(ctx context.Context) (*http.Request, error) {
		built++
		return get(url)(ctx)
	}
	// A bare transport: no proxy from the environment in the way.
	client := &http.Client{Transport: &http.Transport{}}
	_, err = p.DoHTTP(context.Background(), client, newReq)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("error %v, want connection refused", err)
	}
	if built != 3 {
		t.Errorf("%d attempts, want 3", built)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q should say how many attempts were made", err)
	}
}

func TestDoHTTPNonRetryableNetworkError(t *testing.T) {
	// A TLS server whose certificate the client does not trust: retrying cannot help.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is expected
	srv.StartTLS()
	defer srv.Close()
	clock := newFakeClock()
	built := 0
	newReq := func(ctx context.Context) (*http.Request, error) {
		built++
		return get(srv.URL)(ctx)
	}
	_, err := testPolicy(clock, 0).DoHTTP(context.Background(), &http.Client{Transport: &http.Transport{}}, newReq)
	if err == nil || built != 1 {
		t.Errorf("err=%v attempts=%d, want a certificate error after 1 attempt", err, built)
	}
	if !isCertificateError(err) {
		t.Errorf("error %v, want a certificate error", err)
	}
}

func TestDoHTTPNewReqError(t *testing.T) {
	errBuild := errors.New("no such file")
	calls := 0
	_, err := testPolicy(newFakeClock(), 0).DoHTTP(context.Background(), nil, func(context.Context) (*http.Request, error) {
		calls++
		return nil, errBuild
	})
	if calls != 1 || !errors.Is(err, errBuild) {
		t.Errorf("calls=%d err=%v, want 1 call and the build error", calls, err)
	}
}

func TestDoHTTPCancelDuringRequest(t *testing.T) {
	started := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done() // hang until the client goes away
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-started
		cancel()
	}()
	clock := newFakeClock()
	_, err := testPolicy(clock, 0).DoHTTP(ctx, srv.Client(), get(srv.URL))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	if len(clock.Sleeps()) != 0 {
		t.Errorf("slept %v after cancellation, want no wait", clock.Sleeps())
	}
}

func TestDoHTTPClientTimeoutRetried(t *testing.T) {
	// A per-request http.Client.Timeout is worth a retry (the caller's ctx
	// is still alive); this is a real, short timeout, not a sleep.
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		<-r.Context().Done()
	}))
	defer srv.Close()
	client := srv.Client()
	client.Timeout = 20 * time.Millisecond

	p := testPolicy(newFakeClock(), 0)
	p.MaxAttempts = 2
	_, err := p.DoHTTP(context.Background(), client, get(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "after 2 attempts") {
		t.Errorf("error %v, want a timeout after 2 attempts", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !Retryable(err) {
		t.Errorf("client timeout %v should match DeadlineExceeded and be Retryable", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if requests != 2 {
		t.Errorf("server saw %d requests, want 2", requests)
	}
}

// closeTracker is a response body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error {
	c.closed = true
	return nil
}

// scripted is a RoundTripper answering from a list of statuses without a network.
type scripted struct {
	statuses []int
	bodies   []*closeTracker
}

func (s *scripted) RoundTrip(req *http.Request) (*http.Response, error) {
	status := s.statuses[len(s.bodies)]
	body := &closeTracker{Reader: bytes.NewReader(bytes.Repeat([]byte("x"), 10<<10))}
	s.bodies = append(s.bodies, body)
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: body, Request: req}, nil
}

func TestDoHTTPClosesRetriedBodies(t *testing.T) {
	rt := &scripted{statuses: []int{502, 504, 408, 200}}
	resp, err := testPolicy(newFakeClock(), 0).DoHTTP(context.Background(), &http.Client{Transport: rt}, get("http://hub.invalid/"))
	if err != nil {
		t.Fatalf("DoHTTP: %v", err)
	}
	for i, b := range rt.bodies[:3] {
		if !b.closed {
			t.Errorf("body of retried response %d was not closed", i+1)
		}
	}
	if rt.bodies[3].closed {
		t.Error("the returned response's body was closed; the caller owns it")
	}
	resp.Body.Close()
}

func TestStatusErrorKeepsFirst4KiB(t *testing.T) {
	rt := &scripted{statuses: []int{503}}
	p := testPolicy(newFakeClock(), 0)
	p.MaxAttempts = 1
	_, err := p.DoHTTP(context.Background(), &http.Client{Transport: rt}, get("http://hub.invalid/"))
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error %v does not wrap a *StatusError", err)
	}
	if len(se.Body) != 4<<10 {
		t.Errorf("Body has %d bytes, want 4096", len(se.Body))
	}
	// The message carries only a short excerpt.
	if len(se.Error()) > 300 || !strings.HasSuffix(se.Error(), "…") {
		t.Errorf("Error() is %d bytes: %q", len(se.Error()), se.Error())
	}
}

func TestStatusErrorMessage(t *testing.T) {
	tests := []struct {
		err  *StatusError
		want string
	}{
		{&StatusError{StatusCode: 503}, "server returned 503 Service Unavailable"},
		{&StatusError{StatusCode: 429, Body: "{\n  \"error\": \"slow down\"\n}\n"}, `server returned 429 Too Many Requests: { "error": "slow down" }`},
		{&StatusError{StatusCode: 502, Body: strings.Repeat("é", 150)}, "server returned 502 Bad Gateway: " + strings.Repeat("é", 100) + "…"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestRetryableStatus(t *testing.T) {
	retryable := map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}
	for code := 100; code < 600; code++ {
		if got := RetryableStatus(code); got != retryable[code] {
			t.Errorf("RetryableStatus(%d) = %v, want %v", code, got, retryable[code])
		}
	}
}
