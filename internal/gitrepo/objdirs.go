package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// maxAlternateDepth is git's limit on chained alternates (A borrows from
// B, which borrows from C, …); git refuses deeper chains, and so do we.
const maxAlternateDepth = 5

// objectDirs lists the object directories a repository reads, in git's
// order: the repository's own (GIT_OBJECT_DIRECTORY overrides it), then
// GIT_ALTERNATE_OBJECT_DIRECTORIES, then its objects/info/alternates; each
// alternate is followed by its own alternates. Paths in an alternates file
// are relative to the objects directory holding that file; paths in the
// environment are relative to the current directory, as for git.
func objectDirs(objects string) ([]string, error) {
	if env := os.Getenv("GIT_OBJECT_DIRECTORY"); env != "" {
		abs, err := filepath.Abs(env)
		if err != nil {
			return nil, err
		}
		objects = abs
	}
	l := &dirList{seen: map[string]bool{}}
	l.add(objects)
	if env := os.Getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"); env != "" {
		for _, p := range strings.Split(env, string(os.PathListSeparator)) {
			if err := l.link(p, "", "GIT_ALTERNATE_OBJECT_DIRECTORIES", 0); err != nil {
				return nil, err
			}
		}
	}
	if err := l.readAlternates(objects, 0); err != nil {
		return nil, err
	}
	return l.dirs, nil
}

type dirList struct {
	dirs []string
	seen map[string]bool
}

func (l *dirList) add(dir string) bool {
	key := filepath.Clean(dir)
	if real, err := filepath.EvalSymlinks(key); err == nil {
		key = real
	}
	if l.seen[key] {
		return false
	}
	l.seen[key] = true
	l.dirs = append(l.dirs, filepath.Clean(dir))
	return true
}

// readAlternates links every entry of dir's info/alternates.
func (l *dirList) readAlternates(dir string, depth int) error {
	file := filepath.Join(dir, "info", "alternates")
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to read alternates: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if err := l.link(sc.Text(), dir, file, depth); err != nil {
			return err
		}
	}
	return nil
}

// link adds one alternate entry (relative to base when base is set) and
// then the alternates it borrows from in turn.
func (l *dirList) link(entry, base, from string, depth int) error {
	entry = strings.TrimRight(entry, "\r")
	if entry == "" || strings.HasPrefix(entry, "#") {
		return nil
	}
	if strings.HasPrefix(entry, `"`) {
		// git unquotes C-style quoted entries (paths holding the separator);
		// getting that subtly wrong would read the wrong directory.
		return fmt.Errorf("%s: quoted alternate %s is not read natively: %w", from, entry, ErrUseGit)
	}
	if depth >= maxAlternateDepth {
		return fmt.Errorf("%s: alternates nested deeper than %d: %w", from, maxAlternateDepth, ErrCorrupt)
	}
	dir := entry
	if !filepath.IsAbs(dir) {
		if base == "" {
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			dir = abs
		} else {
			dir = filepath.Join(base, dir)
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: alternate object directory %s does not exist: %w", from, dir, ErrMissingObject)
	}
	if !l.add(dir) {
		return nil
	}
	return l.readAlternates(dir, depth+1)
}
