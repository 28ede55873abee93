package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Refs in a reftable (extensions.refStorage = reftable, git ≥ 2.45) are
// read through git itself: only such repositories pay for a subprocess,
// and a binary format with its own compaction rules stays git's business.

// ref resolves a ref name through symbolic refs; see refStore.resolve.
func (r *Repo) ref(name string) (h Hash, target string, ok bool, err error) {
	if !r.reftable {
		return r.refs.resolve(name)
	}
	target = name
	if name == "HEAD" {
		out, err := r.git("symbolic-ref", "-q", "HEAD")
		if err == nil {
			target = out
		}
	}
	out, err := r.git("rev-parse", "-q", "--verify", "--end-of-options", name)
	if err != nil {
		return ZeroHash, target, false, nil
	}
	h, good := ParseHash(out)
	if !good {
		return ZeroHash, target, false, fmt.Errorf("git rev-parse %s printed %q", name, out)
	}
	return h, target, true, nil
}

// listRefs returns the refs under prefix; see refStore.list.
func (r *Repo) listRefs(prefix string) ([]namedHash, error) {
	if !r.reftable {
		return r.refs.list(prefix)
	}
	out, err := r.git("for-each-ref", "--format=%(objectname) %(refname)", prefix)
	if err != nil {
		return nil, err
	}
	var refs []namedHash
	for line := range strings.Lines(out) {
		hex, name, _ := strings.Cut(strings.TrimSpace(line), " ")
		if h, ok := ParseHash(hex); ok {
			refs = append(refs, namedHash{name, h})
		}
	}
	return refs, nil
}

// heads returns this worktree's HEAD and every other worktree's.
func (r *Repo) heads() ([]namedHash, error) {
	var out []namedHash
	if h, ok, err := r.Head(); err != nil {
		return nil, err
	} else if ok {
		out = append(out, namedHash{"HEAD", h})
	}
	if !r.reftable {
		others, err := r.refs.worktreeHeads()
		return append(out, others...), err
	}
	list, err := r.git("worktree", "list", "--porcelain")
	if err != nil {
		return nil, err
	}
	for line := range strings.Lines(list) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "HEAD "); ok {
			if h, ok := ParseHash(v); ok && !h.IsZero() {
				out = append(out, namedHash{"HEAD", h})
			}
		}
	}
	return out, nil
}

// gitRevParse asks git for the commit a revision names.
func (r *Repo) gitRevParse(rev string) (Hash, error) {
	out, err := r.git("rev-parse", "-q", "--verify", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return ZeroHash, fmt.Errorf("unknown revision %q: %w", rev, err)
	}
	h, ok := ParseHash(out)
	if !ok {
		return ZeroHash, fmt.Errorf("unknown revision %q: git rev-parse printed %q", rev, out)
	}
	return h, nil
}

// git runs a read-only git command on this repository and returns its
// output, trimmed.
func (r *Repo) git(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"--git-dir=" + r.GitDir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = ee.String()
			}
			return "", fmt.Errorf("git %s: %s", args[0], msg)
		}
		return "", fmt.Errorf("failed to run git (needed for this repository's reftable refs): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
