package gitrepo

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrUnbornHead is HEAD naming a branch that has no commit yet.
var ErrUnbornHead = errors.New("HEAD has no commits yet")

// Head returns the commit HEAD points to; ok is false on an unborn branch
// (a repository with no commit yet).
func (r *Repo) Head() (h Hash, ok bool, err error) {
	h, _, ok, err = r.ref("HEAD")
	if err != nil {
		return ZeroHash, false, fmt.Errorf("failed to read HEAD: %w", err)
	}
	return h, ok, nil
}

// HeadCommit is the commit HEAD points to, or an error wrapping
// ErrUnbornHead that names the branch, as `git log` refuses.
func (r *Repo) HeadCommit() (Hash, error) {
	h, target, ok, err := r.ref("HEAD")
	if err != nil {
		return ZeroHash, fmt.Errorf("failed to read HEAD: %w", err)
	}
	if !ok {
		return ZeroHash, fmt.Errorf("current branch %q does not have any commits yet: %w", strings.TrimPrefix(target, "refs/heads/"), ErrUnbornHead)
	}
	return h, nil
}

// Resolve turns a revision into a commit: a ref name as git completes it
// (main, origin/main, v1.0, refs/…), a full or abbreviated object id, HEAD
// or @, followed by any of ~N, ^N, ^{} and ^{commit}. Annotated tags are
// peeled through any number of tags. Other syntax is handed to git.
func (r *Repo) Resolve(rev string) (Hash, error) {
	if r.reftable {
		return r.gitRevParse(rev)
	}
	cut := strings.IndexAny(rev, "~^")
	if cut < 0 {
		cut = len(rev)
	}
	base, ops := rev[:cut], rev[cut:]
	if base == "" || strings.ContainsAny(base, ":@{}") && base != "@" {
		return r.gitRevParse(rev)
	}
	h, err := r.resolveBase(base)
	if err != nil {
		return ZeroHash, fmt.Errorf("unknown revision %q: %w", rev, err)
	}
	for ops != "" {
		op := ops[0]
		ops = ops[1:]
		if op == '^' && strings.HasPrefix(ops, "{") {
			end := strings.IndexByte(ops, '}')
			if end < 0 {
				return r.gitRevParse(rev)
			}
			switch ops[1:end] {
			case "", "commit":
			default:
				return r.gitRevParse(rev)
			}
			ops = ops[end+1:]
			if h, err = r.peel(h); err != nil {
				return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
			}
			continue
		}
		digits := len(ops) - len(strings.TrimLeft(ops, "0123456789"))
		n := 1
		if digits > 0 {
			if n, err = strconv.Atoi(ops[:digits]); err != nil {
				return ZeroHash, fmt.Errorf("unknown revision %q: bad number", rev)
			}
			ops = ops[digits:]
		}
		if h, err = r.peel(h); err != nil {
			return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
		}
		if op == '^' {
			if n == 0 {
				continue
			}
			c, err := r.Commit(h)
			if err != nil {
				return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
			}
			if n > len(c.Parents) {
				return ZeroHash, fmt.Errorf("unknown revision %q: %s has %d parents", rev, h, len(c.Parents))
			}
			h = c.Parents[n-1]
			continue
		}
		for range n {
			c, err := r.Commit(h)
			if err != nil {
				return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
			}
			if len(c.Parents) == 0 {
				return ZeroHash, fmt.Errorf("unknown revision %q: %s has no parent", rev, h)
			}
			h = c.Parents[0]
		}
	}
	h, err = r.peel(h)
	if err != nil {
		return ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
	}
	return h, nil
}

// resolveBase finds the object a name stands for, in git's order: a full
// object id, then refs (refname, refs/NAME, tags, heads, remotes, a
// remote's HEAD), then an abbreviated object id.
func (r *Repo) resolveBase(name string) (Hash, error) {
	if h, ok := ParseHash(name); ok {
		return h, nil
	}
	if name == "@" {
		name = "HEAD"
	}
	var candidates []string
	if strings.HasPrefix(name, "refs/") || strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == "" {
		candidates = append(candidates, name)
	}
	for _, f := range []string{"refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"} {
		candidates = append(candidates, fmt.Sprintf(f, name))
	}
	for _, c := range candidates {
		h, _, ok, err := r.ref(c)
		if err != nil {
			return ZeroHash, err
		}
		if ok {
			return h, nil
		}
	}
	if len(name) >= 4 && len(name) < 40 && strings.Trim(strings.ToLower(name), "0123456789abcdef") == "" {
		return r.abbrev(strings.ToLower(name))
	}
	return ZeroHash, errors.New("no such ref or object")
}

// abbrev finds the one object whose id starts with prefix.
func (r *Repo) abbrev(prefix string) (Hash, error) {
	b, _ := hex.DecodeString(prefix[:len(prefix)&^1])
	hs, err := r.st.HashesWithPrefix(b)
	if err != nil {
		return ZeroHash, fmt.Errorf("failed to look up %s: %w", prefix, err)
	}
	var found []Hash
	for _, h := range hs {
		if strings.HasPrefix(h.String(), prefix) {
			found = append(found, h)
		}
	}
	switch len(found) {
	case 0:
		return ZeroHash, errors.New("no such ref or object")
	case 1:
		return found[0], nil
	}
	return ZeroHash, fmt.Errorf("short object id %s is ambiguous (%d objects)", prefix, len(found))
}

// errNotCommit is a revision that peels to a tree or a blob.
var errNotCommit = errors.New("not a commit")

// Peel follows annotated tags, through any number of them, to the object
// they name in the end: a commit usually, else a tree or a blob. An object
// the repository lacks is ErrMissingObject, with h the id it lacks.
func (r *Repo) Peel(h Hash) (Hash, plumbing.ObjectType, error) {
	seen := map[Hash]bool{}
	for {
		if seen[h] {
			return ZeroHash, plumbing.InvalidObject, fmt.Errorf("tag %s: tags point at each other in a cycle: %w", h, ErrCorrupt)
		}
		seen[h] = true
		typ, data, err := r.anyObject(h)
		if errors.Is(err, ErrMissingObject) {
			return h, plumbing.InvalidObject, err
		}
		if err != nil {
			return ZeroHash, plumbing.InvalidObject, err
		}
		if typ != plumbing.TagObject {
			return h, typ, nil
		}
		next, ok := tagTarget(data)
		if !ok {
			return ZeroHash, plumbing.InvalidObject, fmt.Errorf("tag %s: no object line: %w", h, ErrCorrupt)
		}
		h = next
	}
}

// peel is Peel that insists on a commit.
func (r *Repo) peel(h Hash) (Hash, error) {
	p, typ, err := r.Peel(h)
	if err != nil {
		return p, err
	}
	if typ != plumbing.CommitObject {
		return ZeroHash, fmt.Errorf("object %s is a %s: %w", p, typ, errNotCommit)
	}
	return p, nil
}

// tagTarget reads the "object <id>" header of a tag.
func tagTarget(b []byte) (Hash, bool) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	v, ok := bytes.CutPrefix(line, []byte("object "))
	if !ok {
		return ZeroHash, false
	}
	return ParseHash(string(v))
}

// anyObject reads an object whatever its type.
func (r *Repo) anyObject(h Hash) (plumbing.ObjectType, []byte, error) {
	typ, data, err := r.read(h, 0)
	if err != nil {
		return 0, nil, readError("object", h, err)
	}
	return typ, data, nil
}

// Refs returns the commits the refs under prefix point to, tags peeled:
// prefix "refs/" for what `git rev-list --all` starts from (every ref this
// worktree sees, HEAD, and the HEAD of every other worktree),
// "refs/remotes/" for the remote-tracking refs. A ref whose object is
// missing is returned as that object's id, so the walk reports it; refs to
// trees and blobs are left out, as git leaves them out of the walk.
func (r *Repo) Refs(prefix string) ([]Hash, error) {
	refs, err := r.listRefs(prefix)
	if err != nil {
		return nil, fmt.Errorf("failed to list references: %w", err)
	}
	if prefix == "refs/" {
		heads, err := r.heads()
		if err != nil {
			return nil, fmt.Errorf("failed to list references: %w", err)
		}
		refs = append(refs, heads...)
	}
	var out []Hash
	seen := map[Hash]bool{}
	for _, ref := range refs {
		h, err := r.peel(ref.Hash)
		switch {
		case errors.Is(err, errNotCommit):
			continue
		case errors.Is(err, ErrMissingObject):
			// Kept: the walk reports it.
		case err != nil:
			return nil, fmt.Errorf("ref %s: %w", ref.Name, err)
		}
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out, nil
}
