package rotate

import (
	"bufio"
	"os"
	"os/exec"
	"strings"

	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/redact"
)

// HelperEntry is the Hub's entry in git's credential helper, which `hf auth
// login --add-to-git-credential` writes and git pushes to the Hub use.
type HelperEntry struct {
	URL      string
	Username string
	old, new string
}

// gitCredential runs `git credential ACTION` without ever prompting.
func gitCredential(cwd, action, input string) (map[string]string, error) {
	cmd := exec.Command("git", "-C", cwd, "credential", action)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=")
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	answer := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			answer[k] = v
		}
	}
	return answer, nil
}

// findHelperEntry asks the configured helpers for the Hub's entry and keeps
// it when it holds an old value (only the Hub: its token is a git password).
func findHelperEntry(provider, hfEndpoint, cwd string, swap map[string]string) *HelperEntry {
	if provider != "hf" {
		return nil
	}
	url := hub.Endpoint(hfEndpoint)
	answer, err := gitCredential(cwd, "fill", "url="+url+"\n\n")
	if err != nil {
		return nil // no entry (git says so by failing once it may not prompt)
	}
	pw := answer["password"]
	redact.Secret(pw)
	nv, ok := swap[redact.Fingerprint(pw)]
	if !ok {
		return nil
	}
	return &HelperEntry{URL: url, Username: answer["username"], old: pw, new: nv}
}

func (h *HelperEntry) store(cwd, password string) error {
	_, err := gitCredential(cwd, "approve", "url="+h.URL+"\nusername="+h.Username+"\npassword="+password+"\n\n")
	return err
}

// write stores the new value and checks that the helper now answers it.
func (h *HelperEntry) write(cwd string) error {
	if err := h.store(cwd, h.new); err != nil {
		return err
	}
	answer, err := gitCredential(cwd, "fill", "url="+h.URL+"\nusername="+h.Username+"\n\n")
	if err != nil || answer["password"] != h.new {
		return errHelperKept
	}
	return nil
}
