// Package hubfetch copies a Hugging Face Hub repository's history into a
// local bare repository with the installed git, over smart HTTP, so that
// the history engine can read it. The token goes to git in an
// http.extraHeader set through the environment (GIT_CONFIG_COUNT), never on
// the command line or in a URL, and only for the Hub's own URLs. LFS
// content is never downloaded: git fetches the pointers, not the objects.
package hubfetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// Request says what to fetch.
type Request struct {
	// Hub is the one Hub client: its endpoint and token (none fetches
	// public repositories only) go to git, and its retry policy retries
	// the fetch. When git is answered 429 or 5xx, the client asks for the
	// refs itself until the Hub answers, so that the wait is what
	// Retry-After says (git shows the status but not the header).
	Hub          *hub.Client
	Repo         hub.Repo
	PullRequests bool // also refs/pr/*, which a plain clone leaves out
}

// DeniedError is a repository the token cannot read: the Hub asked for
// credentials (401) or does not show it to this token (403, 404; the Hub
// answers 404 for a private repository it hides).
type DeniedError struct {
	Repo   hub.Repo
	Status int
}

func (e *DeniedError) Error() string {
	switch e.Status {
	case 401:
		return "the Hub asks for a token that may read it (401)"
	case 403:
		return "the token may not read it (403)"
	}
	return "not found, or private and not readable with this token (404)"
}

// refspecs are what is copied: every branch and tag, and with pull requests
// the Hub's refs/pr/N.
func refspecs(pullRequests bool) []string {
	rs := []string{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}
	if pullRequests {
		rs = append(rs, "+refs/pr/*:refs/pr/*")
	}
	return rs
}

// Fetch makes dir a bare repository holding the history of rq.Repo. A
// failure the Hub may get over (429, 5xx, a dropped connection) is retried
// through rq.Hub's policy; a repository the token cannot read is a
// *DeniedError.
func Fetch(ctx context.Context, rq Request, dir string) error {
	if err := run(ctx, rq, "", "init", "--quiet", "--bare", dir); err != nil {
		return err
	}
	url := rq.Hub.GitURL(rq.Repo)
	args := append([]string{"-C", dir, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", url}, refspecs(rq.PullRequests)...)
	return rq.Hub.Retry.Do(ctx, func(ctx context.Context) error {
		err := run(ctx, rq, url, args...)
		var se *statusError
		if !errors.As(err, &se) || !retry.RetryableStatus(se.status) {
			return err
		}
		// Rate-limited or unavailable: wait as the Hub says, then go again.
		if err := probe(ctx, rq); err != nil {
			return retry.Permanent(err)
		}
		return run(ctx, rq, url, args...)
	})
}

// statusError is git failing on an HTTP status it was answered.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// probe waits until the Hub answers for the refs; a denial is known by its
// status.
func probe(ctx context.Context, rq Request) error {
	status, err := rq.Hub.GitRefsStatus(ctx, rq.Repo)
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("failed to %w", err) // "failed to list the refs: …"
	case status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusNotFound:
		return &DeniedError{Repo: rq.Repo, Status: status}
	case status/100 != 2:
		return fmt.Errorf("failed to list the refs: the Hub answered %d %s", status, http.StatusText(status))
	}
	return nil
}

// httpStatus finds the HTTP status in git's words: "The requested URL
// returned error: 503", "RPC failed; HTTP 429".
var httpStatus = regexp.MustCompile(`(?:returned error: |HTTP )(\d{3})`)

// run runs git; errors that retrying cannot fix are retry.Permanent.
func run(ctx context.Context, rq Request, url string, args ...string) error {
	// No prompt and no credential helper: the token is the only credential,
	// and a repository it cannot read must fail, not wait for a password.
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "credential.helper=", "-c", "core.askPass="}, args...)...)
	cmd.Env = environ(rq.Hub.Endpoint, rq.Hub.Token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return retry.Permanent(fmt.Errorf("failed to run git: %w", err))
	}
	msg := strings.TrimSpace(stderr.String())
	status := 0
	if m := httpStatus.FindStringSubmatch(msg); m != nil {
		status, _ = strconv.Atoi(m[1])
	}
	switch {
	case status == 401 || strings.Contains(msg, "terminal prompts disabled") || strings.Contains(msg, "Authentication failed"):
		return retry.Permanent(&DeniedError{Repo: rq.Repo, Status: 401})
	case status == 403 || status == 404 || strings.Contains(msg, "not found"):
		if status == 0 {
			status = 404
		}
		return retry.Permanent(&DeniedError{Repo: rq.Repo, Status: status})
	}
	if i := strings.LastIndex(msg, "\n"); i >= 0 {
		msg = msg[i+1:] // git's last word is its conclusion
	}
	err = fmt.Errorf("git %s failed: %s", args[min(2, len(args)-1)], strings.TrimPrefix(msg, "fatal: "))
	if url != "" && (status == 0 || retry.RetryableStatus(status)) {
		if status != 0 {
			err = &statusError{status: status, err: err}
		}
		return err // worth another attempt
	}
	return retry.Permanent(err)
}

// environ is the process environment for git: without the GIT_* variables
// a hook may have set (they would point git elsewhere) and without askpass
// programs, plus the token's header for URLs under the endpoint only and
// no LFS smudging.
func environ(endpoint, token string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "SSH_ASKPASS" || name == "GIT_ASKPASS" ||
			strings.HasPrefix(name, "GIT_") && !keepGit(name) {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GIT_TERMINAL_PROMPT=0", "GIT_LFS_SKIP_SMUDGE=1")
	if token != "" {
		env = append(env, "GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=http."+endpoint+"/.extraHeader",
			"GIT_CONFIG_VALUE_0=Authorization: Bearer "+token)
	}
	return env
}

// keepGit reports whether a GIT_ variable is about how git runs rather than
// which repository or configuration it uses. Tracing is dropped: it would
// write the request headers out.
func keepGit(name string) bool {
	for _, p := range []string{"GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL", "GIT_SSL_", "GIT_HTTP_", "GIT_EXEC_PATH"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
