package tokentest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// httpFakes lists every HTTP fake with a request its ok behaviour accepts,
// for the tests every fake must pass.
var httpFakes = []struct {
	name  string
	start func(behaviour string) (*Server, error)
	valid func(t *testing.T, url string) *http.Request
}{
	{"github", NewGitHub, func(t *testing.T, url string) *http.Request { return githubRequest(t, url, "Bearer "+GitHubClassic) }},
	{"wandb", NewWandB, func(t *testing.T, url string) *http.Request { return wandbRequest(t, url, WandBKey) }},
	{"openai", NewOpenAI, func(t *testing.T, url string) *http.Request { return openaiRequest(t, url, OpenAIKey) }},
	{"anthropic", NewAnthropic, func(t *testing.T, url string) *http.Request {
		return anthropicRequest(t, url, AnthropicKey, "2023-06-01")
	}},
}

// startFake starts a fake and closes it when the test ends.
func startFake(t *testing.T, start func(string) (*Server, error), behaviour string) *Server {
	t.Helper()
	s, err := start(behaviour)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// newRequest builds a request or fails the test.
func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// send sends req and returns the response with its body read.
func send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
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

// wantJSON checks that body is JSON equal to want (also JSON).
func wantJSON(t *testing.T, body, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	gotNorm, _ := json.Marshal(got)
	expNorm, _ := json.Marshal(exp)
	if string(gotNorm) != string(expNorm) {
		t.Errorf("body = %s\nwant   %s", gotNorm, expNorm)
	}
}

func TestUnknownBehaviour(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			s, err := f.start("sometimes")
			if err == nil {
				s.Close()
				t.Fatal("no error for an unknown behaviour")
			}
			if !strings.Contains(err.Error(), `"sometimes"`) || !strings.Contains(err.Error(), "ok, invalid") {
				t.Errorf("error does not name the behaviour and the valid ones: %v", err)
			}
		})
	}
}

func TestOKCountsRequests(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			s := startFake(t, f.start, "ok")
			for range 2 {
				if resp, body := send(t, f.valid(t, s.URL)); resp.StatusCode != http.StatusOK {
					t.Fatalf("status = %d, body %s", resp.StatusCode, body)
				}
			}
			if got := s.Requests(); got != 2 {
				t.Errorf("Requests() = %d, want 2", got)
			}
		})
	}
}

func TestInvalidRejectsValidCredential(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			s := startFake(t, f.start, "invalid")
			if resp, body := send(t, f.valid(t, s.URL)); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401; body %s", resp.StatusCode, body)
			}
		})
	}
}

func TestFlakyFailsTwiceThenWorks(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			s := startFake(t, f.start, "flaky")
			for i, want := range []int{503, 503, 200, 200} {
				resp, body := send(t, f.valid(t, s.URL))
				if resp.StatusCode != want {
					t.Errorf("request %d: status = %d, want %d", i+1, resp.StatusCode, want)
				}
				if !json.Valid([]byte(body)) {
					t.Errorf("request %d: body is not JSON: %s", i+1, body)
				}
			}
			if got := s.Requests(); got != 4 {
				t.Errorf("Requests() = %d, want 4", got)
			}
		})
	}
}

// The Close tests below tell "released the slow answers" from "waited for
// them" by the fake's own SlowDelay, not by the machine's speed: a Close that
// waited takes the whole delay, one that released them a few milliseconds,
// and half the delay lies far from both however loaded the machine is.
func TestSlowTimesOutAndClosesQuickly(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			s := startFake(t, f.start, "slow")
			client := &http.Client{Timeout: 200 * time.Millisecond}
			resp, err := client.Do(f.valid(t, s.URL))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("slow fake answered %d before the client timeout", resp.StatusCode)
			}
			start := time.Now()
			s.Close()
			if d := time.Since(start); d >= SlowDelay/2 {
				t.Errorf("Close took %v after the client gave up", d)
			}
		})
	}
}

func TestCloseReleasesWaitingClient(t *testing.T) {
	for _, f := range httpFakes {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			s := startFake(t, f.start, "slow")
			req := f.valid(t, s.URL)
			done := make(chan error, 1)
			go func() {
				// No timeout: only Close can end this request early.
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			waitForRequests(t, s, 1)

			start := time.Now()
			s.Close()
			if d := time.Since(start); d >= SlowDelay/2 {
				t.Errorf("Close took %v with a client waiting", d)
			}
			select {
			case err := <-done:
				if err == nil {
					t.Error("the waiting client got an answer, want a dropped connection")
				}
			case <-time.After(SlowDelay / 2):
				t.Fatal("the waiting client is still waiting after Close")
			}
		})
	}
}

// waitForRequests waits until s has seen n requests.
func waitForRequests(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Requests() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the fake saw %d requests, want %d", s.Requests(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCloseTwice(t *testing.T) {
	for _, f := range httpFakes {
		s, err := f.start("ok")
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		s.Close()
	}
}
