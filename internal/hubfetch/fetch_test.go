package hubfetch

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/retry"
)

var fast = retry.Policy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxWait: time.Millisecond}

// origin makes a bare repository with two branches, a tag and refs/pr/1.
func origin(t *testing.T) string {
	t.Helper()
	gittest.Require(t)
	work := t.TempDir()
	gittest.Run(t, work, "init", "-q")
	gittest.Run(t, work, "commit", "-q", "--allow-empty", "-m", "one")
	gittest.Run(t, work, "tag", "-a", "-m", "v1", "v1")
	gittest.Run(t, work, "branch", "dev")
	gittest.Run(t, work, "commit", "-q", "--allow-empty", "-m", "pr")
	gittest.Run(t, work, "update-ref", "refs/pr/1", "HEAD")
	gittest.Run(t, work, "reset", "-q", "--hard", "HEAD~1")
	dir := filepath.Join(t.TempDir(), "origin.git")
	gittest.Run(t, work, "clone", "-q", "--mirror", work, dir)
	return dir
}

// refs is what for-each-ref prints, the reference a fetch is held to.
func refs(t *testing.T, dir string) string {
	return gittest.Run(t, dir, "for-each-ref", "--format=%(objectname) %(refname)")
}

func TestFetchCopiesRefs(t *testing.T) {
	src := origin(t)
	h, err := hubtest.Start(hubtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	if err := h.AddGitRepo("space", "ml-team/app", src, true); err != nil {
		t.Fatal(err)
	}
	repo := hub.Repo{Type: "space", ID: "ml-team/app"}
	want := refs(t, src)
	for _, prs := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "c.git")
		if err := Fetch(context.Background(), Request{Hub: &hub.Client{Endpoint: h.URL, Token: hubtest.TokenRead, Retry: fast}, Repo: repo, PullRequests: prs}, dir); err != nil {
			t.Fatal(err)
		}
		got := refs(t, dir)
		w := want
		if !prs {
			var keep []string
			for l := range strings.SplitSeq(strings.TrimSpace(want), "\n") {
				if !strings.Contains(l, "refs/pr/") {
					keep = append(keep, l)
				}
			}
			w = strings.Join(keep, "\n") + "\n"
		}
		if got != w {
			t.Errorf("pull requests %v: refs\n%s\nwant\n%s", prs, got, w)
		}
	}
	for token, status := range map[string]int{"": 401, hubtest.TokenFineGrainedRead: 404} {
		err := Fetch(context.Background(), Request{Hub: &hub.Client{Endpoint: h.URL, Token: token, Retry: fast}, Repo: repo}, filepath.Join(t.TempDir(), "c.git"))
		var de *DeniedError
		if !errors.As(err, &de) || de.Status != status {
			t.Errorf("token %v: %v, want a DeniedError with %d", token != "", err, status)
		}
	}
}

// TestFetchRetries503 gets through two 503s from the git endpoint.
func TestFetchRetries503(t *testing.T) {
	src := origin(t)
	h := faultyHub(t, "git:503x2", "model", "alice/m", src, false)
	dir := filepath.Join(t.TempDir(), "c.git")
	if err := Fetch(context.Background(), Request{Hub: &hub.Client{Endpoint: h.URL, Retry: fast}, Repo: hub.Repo{Type: "model", ID: "alice/m"}}, dir); err != nil {
		t.Fatal(err)
	}
	if got := gittest.Run(t, dir, "rev-parse", "refs/heads/main"); got != gittest.Run(t, src, "rev-parse", "refs/heads/main") {
		t.Errorf("main = %s", got)
	}
}

// TestFetchWaitsAsRetryAfterSays: with the Hub's HTTP client, a 429 storm
// on the git endpoint is waited out for as long as Retry-After says (0
// here), not the policy's backoff (an hour); a storm that does not end is
// an error after the policy's attempts, never a denial or a success.
func TestFetchWaitsAsRetryAfterSays(t *testing.T) {
	src := origin(t)
	for _, tc := range []struct {
		rule   string
		ok     bool
		delays int
	}{
		{"git:429@0x3", true, 2}, // git's 429, then the probe's two
		{"git:429@0", false, 3},  // git's, then the probe's 4 attempts: three waits
	} {
		h := faultyHub(t, tc.rule, "model", "alice/m", src, true)
		var delays []time.Duration
		policy := retry.Policy{MaxAttempts: 4, BaseDelay: time.Hour, MaxDelay: time.Hour,
			Sleep: func(_ context.Context, d time.Duration) error { delays = append(delays, d); return nil }}
		rq := Request{Hub: &hub.Client{Endpoint: h.URL, Token: hubtest.TokenRead, Retry: policy, UserAgent: "test"},
			Repo: hub.Repo{Type: "model", ID: "alice/m"}}
		err := Fetch(context.Background(), rq, filepath.Join(t.TempDir(), "c.git"))
		if tc.ok != (err == nil) {
			t.Errorf("%s: %v", tc.rule, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "failed after 4 attempts: server returned 429")) {
			t.Errorf("%s: error %v, want one naming the 429 after 4 attempts", tc.rule, err)
		}
		if len(delays) != tc.delays {
			t.Errorf("%s: waited %d times, want %d", tc.rule, len(delays), tc.delays)
		}
		for _, d := range delays {
			if d != 0 {
				t.Errorf("%s: waited %s, want Retry-After's 0", tc.rule, d)
			}
		}
	}
}

// TestFetchProbeDenied: a storm that ends in a denial (the token lost
// access meanwhile) is a denial, known by the probe's status.
func TestFetchProbeDenied(t *testing.T) {
	src := origin(t)
	h := faultyHub(t, "git:503@0x2", "dataset", "ml-team/d", src, true)
	for token, status := range map[string]int{"": 401, hubtest.TokenFineGrainedRead: 404} {
		rq := Request{Hub: &hub.Client{Endpoint: h.URL, Token: token, Retry: fast}, Repo: hub.Repo{Type: "dataset", ID: "ml-team/d"}}
		err := Fetch(context.Background(), rq, filepath.Join(t.TempDir(), "c.git"))
		var de *DeniedError
		if !errors.As(err, &de) || de.Status != status {
			t.Errorf("token %v: %v, want a DeniedError with %d", token != "", err, status)
		}
	}
}

// faultyHub is a fake Hub with one fault rule (hubtest.ParseFault) serving
// src as the repository typ/id.
func faultyHub(t *testing.T, rule, typ, id, src string, private bool) *hubtest.Hub {
	t.Helper()
	f, err := hubtest.ParseFault(rule)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hubtest.Start(hubtest.Options{Faults: []hubtest.Fault{f}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	if err := h.AddGitRepo(typ, id, src, private); err != nil {
		t.Fatal(err)
	}
	return h
}
