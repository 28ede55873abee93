// Package tokentest runs fake credential services on loopback that speak the
// real protocols (HTTP for GitHub, W&B, OpenAI and Anthropic; gRPC for Modal).
// Unit tests and the testscript commands use the same fakes.
package tokentest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// Server is a running fake service.
type Server struct {
	// URL is what the ecosystem's endpoint variable is set to.
	URL      string
	requests atomic.Int64
	delay    atomic.Int64 // nanoseconds to wait before answering
	close    func()
	secrets  *githubSecrets // the GitHub fake's Actions secrets; nil for the others
	log      requestLog
}

// SetDelay makes the fake wait d before answering every request (the
// benchmarks' "each service answers after 200 ms").
func (s *Server) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// Begin counts a request and applies the delay; every fake calls it first.
func (s *Server) Begin() {
	s.requests.Add(1)
	time.Sleep(time.Duration(s.delay.Load()))
}

// Requests is how many requests (HTTP requests or gRPC calls) the fake has answered.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Close stops the fake.
func (s *Server) Close() { s.close() }

// StartHTTP serves h on loopback, counting every request.
func StartHTTP(h http.Handler) *Server {
	s := &Server{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Begin()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		s.log.add("%s %s %d", r.Method, r.URL.Path, sw.status)
	}))
	s.URL = srv.URL
	// Dropping client connections first ends any slow answer at once.
	s.close = func() { srv.CloseClientConnections(); srv.Close() }
	return s
}

// SlowDelay is how long the "slow" behaviour of every fake waits before
// answering: longer than any timeout a test sets, so slow means "times out".
const SlowDelay = 20 * time.Second

// statusWriter keeps the status a handler answered, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection (the Hub
// fake's faults hijack it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
