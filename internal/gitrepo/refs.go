package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// refStore reads refs in the files backend: loose files under refs/,
// packed-refs, and the per-worktree refs (HEAD, refs/bisect/,
// refs/worktree/, refs/rewritten/) in the worktree's own directory.
type refStore struct {
	gitDir, common string
	packed         map[string]Hash // nil until read
}

// perWorktree reports whether a ref lives in a worktree's own directory.
func perWorktree(name string) bool {
	if !strings.HasPrefix(name, "refs/") {
		return true // HEAD, ORIG_HEAD, MERGE_HEAD, FETCH_HEAD, …
	}
	for _, p := range []string{"refs/bisect/", "refs/worktree/", "refs/rewritten/"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// errNoRef is a ref that does not exist.
var errNoRef = errors.New("no such ref")

// read returns a ref's value: a hash, or the target of a symbolic ref.
func (s *refStore) read(name string) (h Hash, target string, err error) {
	dir := s.common
	if perWorktree(name) {
		dir = s.gitDir
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	switch {
	case err == nil:
		return parseLooseRef(name, b)
	case errors.Is(err, fs.ErrNotExist), isDirErr(err):
	default:
		return ZeroHash, "", fmt.Errorf("failed to read ref %s: %w", name, err)
	}
	if !strings.HasPrefix(name, "refs/") || perWorktree(name) {
		return ZeroHash, "", errNoRef
	}
	if err := s.loadPacked(); err != nil {
		return ZeroHash, "", err
	}
	if h, ok := s.packed[name]; ok {
		return h, "", nil
	}
	return ZeroHash, "", errNoRef
}

// isDirErr is a ref name that is a directory, or runs through a file.
func isDirErr(err error) bool {
	return errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ENOTDIR)
}

func parseLooseRef(name string, b []byte) (Hash, string, error) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	line = bytes.TrimSpace(line)
	if t, ok := bytes.CutPrefix(line, []byte("ref:")); ok {
		return ZeroHash, string(bytes.TrimSpace(t)), nil
	}
	// FETCH_HEAD and MERGE_HEAD start with a hash and may say more.
	if len(line) >= 40 {
		if h, ok := ParseHash(string(line[:40])); ok {
			return h, "", nil
		}
	}
	return ZeroHash, "", fmt.Errorf("ref %s holds %q, not an object id: %w", name, truncate(line, 50), ErrCorrupt)
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// resolve follows symbolic refs to a hash. ok is false for a ref that does
// not exist or a symbolic ref to one that does not (an unborn branch);
// target is then the last name followed.
func (s *refStore) resolve(name string) (h Hash, target string, ok bool, err error) {
	target = name
	for range 10 { // git's own limit on symbolic ref chains
		h, next, err := s.read(target)
		if errors.Is(err, errNoRef) {
			return ZeroHash, target, false, nil
		}
		if err != nil {
			return ZeroHash, target, false, err
		}
		if next == "" {
			return h, target, true, nil
		}
		target = next
	}
	return ZeroHash, target, false, fmt.Errorf("ref %s: symbolic refs nest too deep: %w", name, ErrCorrupt)
}

func (s *refStore) loadPacked() error {
	if s.packed != nil {
		return nil
	}
	s.packed = map[string]Hash{}
	f, err := os.Open(filepath.Join(s.common, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to read packed-refs: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' { // header, peeled tag
			continue
		}
		hex, name, ok := strings.Cut(line, " ")
		h, good := ParseHash(hex)
		if !ok || !good {
			return fmt.Errorf("packed-refs: bad line %q: %w", string(truncate([]byte(line), 60)), ErrCorrupt)
		}
		s.packed[name] = h
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("failed to read packed-refs: %w", err)
	}
	return nil
}

// list returns every ref under prefix visible from this worktree (shared
// refs and this worktree's own), resolved, in name order. Symbolic refs
// whose target does not exist are left out, as git leaves them out.
func (s *refStore) list(prefix string) ([]namedHash, error) {
	names := map[string]bool{}
	// Only the directory the prefix names is walked.
	sub, _ := path.Split(prefix)
	add := func(dir string, keep func(string) bool) error {
		root := filepath.Join(dir, filepath.FromSlash(sub))
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if d.IsDir() || strings.HasSuffix(p, ".lock") {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			name := filepath.ToSlash(rel)
			if strings.HasPrefix(name, prefix) && keep(name) {
				names[name] = true
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("failed to list refs in %s: %w", root, err)
		}
		return nil
	}
	shared := func(n string) bool { return !perWorktree(n) }
	if err := add(s.common, shared); err != nil {
		return nil, err
	}
	if err := add(s.gitDir, perWorktree); err != nil {
		return nil, err
	}
	if err := s.loadPacked(); err != nil {
		return nil, err
	}
	for n := range s.packed {
		if strings.HasPrefix(n, prefix) && !perWorktree(n) {
			names[n] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	slices.Sort(sorted)
	var out []namedHash
	for _, n := range sorted {
		h, _, ok, err := s.resolve(n)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, namedHash{n, h})
		}
	}
	return out, nil
}

type namedHash struct {
	Name string
	Hash Hash
}

// worktreeHeads returns the HEAD of every other worktree of the repository
// (the main one and those under worktrees/), as `git log --all` includes
// them. Unborn ones are left out.
func (s *refStore) worktreeHeads() ([]namedHash, error) {
	dirs := []string{s.common}
	ents, err := os.ReadDir(filepath.Join(s.common, "worktrees"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("failed to list worktrees: %w", err)
	}
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(s.common, "worktrees", e.Name()))
		}
	}
	var out []namedHash
	for _, d := range dirs {
		if sameDir(d, s.gitDir) {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "HEAD")); err != nil {
			continue // a worktree directory being created or removed
		}
		other := &refStore{gitDir: d, common: s.common, packed: s.packed}
		h, _, ok, err := other.resolve("HEAD")
		if err != nil {
			return nil, fmt.Errorf("worktree %s: %w", d, err)
		}
		if ok {
			out = append(out, namedHash{d + ":HEAD", h})
		}
	}
	return out, nil
}

func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
