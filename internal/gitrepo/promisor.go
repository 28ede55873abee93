package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tokenguard/tokenguard/internal/redact"
)

// promisorRemote is the remote a partial clone fetches missing objects
// from: extensions.partialClone, else the first remote with promisor =
// true; "" when the repository is not a partial clone.
func (r *Repo) promisorRemote() string {
	if r.promisor != nil {
		return *r.promisor
	}
	name := ""
	if cfg, err := r.st.Config(); err == nil && cfg.Raw != nil {
		name = cfg.Raw.Section("extensions").Option("partialClone")
		if name == "" {
			for _, sub := range cfg.Raw.Section("remote").Subsections {
				if strings.EqualFold(sub.Option("promisor"), "true") {
					name = sub.Name
					break
				}
			}
		}
	}
	r.promisor = &name
	return name
}

// Prefetch fetches in one go those of hs a partial clone lacks, as git
// log -p does for each commit's changed files; elsewhere it does nothing.
// A failed fetch is no error here: reading a missing object retries it
// and then says what is missing and how to fetch it.
func (r *Repo) Prefetch(hs []Hash) {
	remote := r.promisorRemote()
	if remote == "" {
		return
	}
	var need []Hash
	for _, h := range hs {
		if !h.IsZero() && !r.has(h) {
			need = append(need, h)
		}
	}
	if len(need) > 0 && r.fetch(remote, need) == nil {
		r.packs.scan(r.objDirs)
	}
}

// has reports whether object h is in a pack or loose, without reading it.
func (r *Repo) has(h Hash) bool {
	for _, pk := range r.packs.files {
		if _, ok := pk.idx.find(h); ok {
			return true
		}
	}
	hex := h.String()
	for _, dir := range r.objDirs {
		if _, err := os.Stat(filepath.Join(dir, hex[:2], hex[2:])); err == nil {
			return true
		}
	}
	return false
}

// fetch gets objects from the promisor remote the way git itself does when
// it needs them in a partial clone (promisor_remote_get_direct): a fetch of
// just those ids, with no negotiation, no tags and no FETCH_HEAD.
func (r *Repo) fetch(remote string, hs []Hash) error {
	var ids bytes.Buffer
	for _, h := range hs {
		fmt.Fprintln(&ids, h)
	}
	cmd := exec.Command("git", "--git-dir="+r.GitDir, "-c", "fetch.negotiationAlgorithm=noop",
		"fetch", remote, "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin")
	cmd.Stdin = &ids
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = err.Error()
		}
		msg = redact.String(msg) // git may echo a remote URL holding a token
		return fmt.Errorf("not in this partial clone, and fetching it from promisor remote %s failed (%s); fetch it with 'git -c fetch.negotiationAlgorithm=noop fetch %s --no-tags --filter=blob:none %s': %w",
			remote, msg, remote, joinHashes(hs), ErrMissingObject)
	}
	return nil
}

func joinHashes(hs []Hash) string {
	s := make([]string, len(hs))
	for i, h := range hs {
		s[i] = h.String()
	}
	return strings.Join(s, " ")
}
