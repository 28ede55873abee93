package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Dir is a directory tree. .git directories are never entered; with
// Gitignore, paths matched by .gitignore files (root and nested) are left
// out too. Symbolic links are not followed (what they point to inside the
// tree is scanned there). Pipes, sockets and devices are not read: they are
// reported to Options.Skipped, as are entries that cannot be read or
// vanish during the walk, and the walk goes on. Paths in findings are Root
// joined with the path inside it ("a/b.py" for Root "a", "b.py" for Root
// "."), the same names Files gives, so baselines match either way.
type Dir struct {
	Root      string
	Gitignore bool
	Options
}

// Fragments walks the tree in lexical order.
func (s Dir) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	return s.walk(ctx, yield, readOne(s.Options, yield))
}

// FragmentsConcurrent is Fragments with the files read on one goroutine
// per CPU while the walk goes on, each yielding what it read: yield must
// be safe for concurrent use (scan.Engine.ScanEach's is). A tree of small
// files was read one file at a time, and each handed to a scanner: on
// real code that made the scan slower than reading the files.
func (s Dir) FragmentsConcurrent(ctx context.Context, yield func(scan.Fragment) error) error {
	type file struct {
		path, name string
		size       int64
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	files := make(chan file, 64)
	var (
		firstErr error
		once     sync.Once
		wg       sync.WaitGroup
	)
	read := readOne(s.Options, yield)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range files {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := read(f.path, f.name, f.size); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
	err := s.walk(ctx, yield, func(path, name string, size int64) error {
		select {
		case files <- file{path, name, size}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(files)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return err
}

// readFunc reads one file for a scan: its path, the name findings give
// it, and its size as stat said.
type readFunc func(path, name string, size int64) error

// readOne reads a file and yields it (nothing when it is left out).
func readOne(o Options, yield func(scan.Fragment) error) readFunc {
	return func(path, name string, size int64) error {
		f, ok := readFile(path, name, size, o)
		if !ok {
			return nil
		}
		return yield(f)
	}
}

// walk calls read for each regular file of the tree, in lexical order,
// with its path and the name findings give it. A root that is a file is
// read as Files reads it, through yield.
func (s Dir) walk(ctx context.Context, yield func(scan.Fragment) error, read readFunc) error {
	root := s.Root
	if root == "" {
		root = "."
	}
	fi, err := os.Stat(root)
	if errors.Is(err, fs.ErrNotExist) && statFailure(root, err) == ReasonMissing {
		return fmt.Errorf("%s: %w", root, ErrNotFound)
	}
	if err != nil || !fi.IsDir() {
		return Files{Paths: []string{root}, Options: s.Options}.Fragments(ctx, yield)
	}
	// Patterns per directory, inherited by subdirectories.
	ignores := map[string][]gitignore.Pattern{}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := filepath.ToSlash(filepath.Join(root, rel))
		if err != nil {
			// An unreadable directory (listed with the reason, its
			// contents unknown) or an entry gone since it was listed.
			s.skip(name, unreadable(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		parts := strings.Split(rel, "/")
		if d.IsDir() {
			if d.Name() == ".git" && p != root {
				return fs.SkipDir
			}
			if rel != "." {
				if s.Exclude != nil && s.Exclude(name) {
					return fs.SkipDir
				}
				if s.Gitignore && ignored(ignores[parentDir(rel)], parts, true) {
					return fs.SkipDir
				}
			}
			if s.Gitignore {
				ignores[rel] = append(slices.Clip(ignores[parentDir(rel)]), readIgnore(p, rel)...)
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if s.Gitignore && ignored(ignores[parentDir(rel)], parts, false) {
			return nil
		}
		if s.Exclude != nil && s.Exclude(name) {
			return nil
		}
		if !d.Type().IsRegular() {
			s.skip(name, "not a regular file: "+kind(d.Type()))
			return nil
		}
		info, err := d.Info()
		if err != nil {
			s.skip(name, unreadable(err))
			return nil
		}
		return read(p, name, info.Size())
	})
}

// kind names a file type that is not read in a tree walk.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func parentDir(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return "."
}

func ignored(ps []gitignore.Pattern, parts []string, isDir bool) bool {
	if len(ps) == 0 {
		return false
	}
	return gitignore.NewMatcher(ps).Match(parts, isDir)
}

// readIgnore parses dir/.gitignore; patterns are relative to rel.
func readIgnore(dir, rel string) []gitignore.Pattern {
	f, err := os.Open(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var domain []string
	if rel != "." {
		domain = strings.Split(rel, "/")
	}
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}
