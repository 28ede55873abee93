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
		h.ServeHTTP(w, r)
	}))
	s.URL = srv.URL
	// Dropping client connections first ends any slow answer at once.
	s.close = func() { srv.CloseClientConnections(); srv.Close() }
	return s
}

// SlowDelay is how long the "slow" behaviour of every fake waits before
// answering: longer than any timeout a test sets, so slow means "times out".
const SlowDelay = 20 * time.Second
