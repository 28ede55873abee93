package push

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"
)

// helperTimeout bounds the question to git's credential helpers: a helper
// that hangs (a keychain waiting for a click) must not hold the push.
const helperTimeout = 3 * time.Second

// HelperToken returns the password git's credential helpers hold for the
// remote at rawURL, as git itself will send it on the push, or "" when no
// helper has one. It never prompts: terminal prompts and askpass programs
// are turned off, and nothing is stored or erased (fill only). The value is
// a credential: callers register it with redact before anything else.
func HelperToken(ctx context.Context, dir, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return "" // ssh remotes authenticate with keys, not helpers
	}
	ctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-c", "core.askPass=", "credential", "fill")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=", "GCM_INTERACTIVE=never")
	// A helper of its own (a shell command) may outlive git when the
	// context kills it, holding the output open: stop waiting anyway.
	cmd.WaitDelay = 100 * time.Millisecond
	cmd.Stdin = strings.NewReader(fmt.Sprintf("protocol=%s\nhost=%s\npath=%s\n\n", u.Scheme, u.Host, strings.TrimPrefix(u.Path, "/")))
	out, err := cmd.Output() // stderr (git's "terminal prompts disabled") is dropped
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "password="); ok {
			return v
		}
	}
	return ""
}
