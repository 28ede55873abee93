// Package gitcli reads a repository through the installed git's plumbing
// commands (rev-parse, log --raw, diff-index, ls-files, cat-file --batch),
// for the repositories internal/gitrepo does not read natively: SHA-256
// object ids above all. It gives the same answers as gitrepo (changes per
// commit, blobs, the staged changes) with object ids as hex strings of
// either length, and is slower: each object read is a round trip to a git
// process. A Repo is not safe for concurrent use.
package gitcli

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// Repo is a repository read through git.
type Repo struct {
	// Root is the work tree's top directory; empty for a bare repository.
	Root string
	// GitDir is the repository directory of this work tree.
	GitDir string
	// Format is the object format: "sha1" or "sha256".
	Format string

	dir   string   // where git runs
	env   []string // git's environment
	blobs *batch   // cat-file --batch, started on first use
	sizes *batch   // cat-file --batch-check, started on first use
}

// Open finds the repository holding dir, as git does (GIT_DIR and the
// other GIT_* variables included).
func Open(ctx context.Context, dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	r := &Repo{dir: abs, env: environ()}
	out, err := r.output(ctx, nil, "rev-parse", "--absolute-git-dir", "--is-bare-repository", "--show-object-format")
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", abs, gitrepo.ErrNotRepository, err)
	}
	f := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(f) != 3 {
		return nil, fmt.Errorf("%s: git rev-parse printed %q, want 3 lines: %w", abs, out, gitrepo.ErrNotRepository)
	}
	r.GitDir, r.Format = f[0], f[2]
	if f[1] != "true" {
		top, err := r.output(ctx, nil, "rev-parse", "--show-toplevel")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", abs, err)
		}
		r.Root = strings.TrimSuffix(string(top), "\n")
	}
	// From the top, paths in and out of git are relative to it.
	r.dir = cmp.Or(r.Root, r.GitDir)
	return r, nil
}

// UseGit reports whether openErr, gitrepo.Open's error, hands the
// repository to this package (SHA-256 object ids, which the fast reader's
// 20-byte ids cannot hold).
func UseGit(openErr error) bool {
	return errors.Is(openErr, gitrepo.ErrUseGit)
}

// Close stops the git processes the Repo started.
func (r *Repo) Close() error {
	r.blobs.close()
	r.sizes.close()
	r.blobs, r.sizes = nil, nil
	return nil
}

// ZeroID is the id of no object in this repository's format.
func (r *Repo) ZeroID() string {
	if r.Format == "sha256" {
		return strings.Repeat("0", 64)
	}
	return strings.Repeat("0", 40)
}

// pathVars are git variables holding paths: a relative one means relative
// to our working directory, while git runs in the repository's.
var pathVars = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"}

// dropVars would change what git prints: an external diff program, diff
// options, a pager.
var dropVars = []string{"GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_PAGER", "PAGER", "GIT_TRACE", "GIT_FLUSH"}

// environ is our environment for git: the caller's GIT_* repository
// variables kept (a hook runs with them, and they say which repository and
// index are meant), paths made absolute, output made deterministic.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case slices.Contains(dropVars, k), strings.HasPrefix(k, "LC_"), k == "LANG", k == "LANGUAGE":
			continue
		case slices.Contains(pathVars, k) && v != "" && !filepath.IsAbs(v):
			if abs, err := filepath.Abs(v); err == nil {
				kv = k + "=" + abs
			}
		}
		env = append(env, kv)
	}
	return append(env,
		"LC_ALL=C",
		"GIT_NO_REPLACE_OBJECTS=1", // scan the objects a push sends, not replacements
		"GIT_OPTIONAL_LOCKS=0",     // never take index.lock behind the user's back
		"GIT_TERMINAL_PROMPT=0",    // a hook must not wait for a password
	)
}

// baseArgs come before every command: no quoting of paths, no colour.
var baseArgs = []string{"-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "log.showSignature=false"}

func (r *Repo) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", append(baseArgs[:len(baseArgs):len(baseArgs)], args...)...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	return cmd
}

// output runs git and returns its stdout; a failure carries git's stderr.
func (r *Repo) output(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, gitFailed(args, err, stderr.Bytes())
	}
	return out, nil
}

func gitFailed(args []string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	// git's words (LC_ALL=C) for an object it should have and has not.
	for _, m := range []string{"unable to read", "bad object", "missing blob", "missing tree", "Could not read"} {
		if strings.Contains(msg, m) {
			return fmt.Errorf("git %s failed: %s: %w", args[0], msg, gitrepo.ErrMissingObject)
		}
	}
	if msg != "" {
		return fmt.Errorf("git %s failed: %s: %w", args[0], msg, err)
	}
	return fmt.Errorf("git %s failed: %w", args[0], err)
}

// stream runs git and hands its stdout to read while it runs; read's error
// wins over git's exit status.
func (r *Repo) stream(ctx context.Context, read func(*bufio.Reader) error, args ...string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := r.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("failed to run git: %w", err)
	}
	rerr := read(bufio.NewReaderSize(out, 64<<10))
	if rerr != nil {
		cancel() // git may be blocked writing what we no longer read
	}
	werr := cmd.Wait()
	if rerr != nil {
		return rerr
	}
	if werr != nil {
		return gitFailed(args, werr, stderr.Bytes())
	}
	return nil
}

// Resolve turns a revision into the commit it names (tags peeled).
func (r *Repo) Resolve(ctx context.Context, rev string) (string, error) {
	out, err := r.output(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("unknown revision %q", rev)
	}
	return strings.TrimSpace(string(out)), nil
}

// Head is the commit HEAD points to; ok is false on an unborn branch.
func (r *Repo) Head(ctx context.Context) (id string, ok bool, err error) {
	out, err := r.output(ctx, nil, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	if err != nil {
		// Unborn, or HEAD names something that is no commit: tell apart.
		id, rerr := r.output(ctx, nil, "rev-parse", "--verify", "--quiet", "HEAD")
		if rerr == nil {
			return "", false, fmt.Errorf("HEAD is at %s, which this repository does not hold as a commit: %w", strings.TrimSpace(string(id)), gitrepo.ErrMissingObject)
		}
		if _, serr := r.output(ctx, nil, "symbolic-ref", "--quiet", "HEAD"); serr == nil {
			return "", false, nil
		}
		return "", false, fmt.Errorf("failed to read HEAD: %w", err)
	}
	return strings.TrimSpace(string(out)), true, nil
}

// Refs lists the objects refs under prefix point to ("refs/remotes/origin/").
func (r *Repo) Refs(ctx context.Context, prefix string) ([]string, error) {
	out, err := r.output(ctx, nil, "for-each-ref", "--format=%(objectname)", prefix)
	if err != nil {
		return nil, fmt.Errorf("failed to list references: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// HasCommit reports whether id is a commit this repository holds.
func (r *Repo) HasCommit(ctx context.Context, id string) bool {
	out, err := r.output(ctx, nil, "cat-file", "-t", id)
	return err == nil && strings.TrimSpace(string(out)) == "commit"
}

// MergeHeads are the commits of a merge in progress (MERGE_HEAD).
func (r *Repo) MergeHeads() ([]string, error) {
	b, err := os.ReadFile(filepath.Join(r.GitDir, "MERGE_HEAD"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read MERGE_HEAD: %w", err)
	}
	return strings.Fields(string(b)), nil
}

// Shallow lists the commits where a shallow clone was cut.
func (r *Repo) Shallow(ctx context.Context) (map[string]bool, error) {
	out, err := r.output(ctx, nil, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, err
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.dir, p)
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, id := range strings.Fields(string(b)) {
		m[id] = true
	}
	return m, nil
}
