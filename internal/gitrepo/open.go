package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// location is where a repository's parts are, found as git finds them.
type location struct {
	root   string // the work tree's top; empty for a bare repository
	gitDir string // this worktree's repository directory
	common string // the directory shared by all worktrees (objects, refs, config)
	config *repoConfig
}

// locate finds the repository for dir the way git does. GIT_DIR (relative
// to the current directory) skips the search; otherwise dir and its parents
// are searched for .git (a directory, or a file naming one) or a bare
// repository. The work tree is then GIT_WORK_TREE, else core.worktree
// (relative to the repository directory), else none when core.bare is
// true, else the directory holding .git — or, with GIT_DIR, the current
// directory. GIT_COMMON_DIR overrides the commondir file.
func locate(dir string) (*location, error) {
	loc := &location{}
	explicit := os.Getenv("GIT_DIR") != ""
	if explicit {
		gd, err := filepath.Abs(os.Getenv("GIT_DIR"))
		if err != nil {
			return nil, err
		}
		if fi, err := os.Stat(gd); err == nil && !fi.IsDir() {
			if gd, err = readGitFile(gd); err != nil {
				return nil, err
			}
		}
		if !isGitDir(gd, commonDir(gd)) {
			return nil, fmt.Errorf("GIT_DIR=%s: %w", os.Getenv("GIT_DIR"), ErrNotRepository)
		}
		loc.gitDir = gd
		if loc.root, err = os.Getwd(); err != nil {
			return nil, err
		}
	} else {
		var err error
		if loc.root, loc.gitDir, err = find(dir); err != nil {
			return nil, err
		}
	}
	loc.common = commonDir(loc.gitDir)
	cfg, err := readConfig(loc.common, loc.gitDir)
	if err != nil {
		return nil, err
	}
	loc.config = cfg
	switch {
	case os.Getenv("GIT_WORK_TREE") != "":
		if loc.root, err = filepath.Abs(os.Getenv("GIT_WORK_TREE")); err != nil {
			return nil, err
		}
	case cfg.worktree != "":
		wt := cfg.worktree
		if !filepath.IsAbs(wt) {
			wt = filepath.Join(loc.gitDir, wt)
		}
		loc.root = filepath.Clean(wt)
	case cfg.bare != nil && *cfg.bare:
		loc.root = ""
	}
	return loc, nil
}

// commonDir is GIT_COMMON_DIR, else what gitDir/commondir names, else
// gitDir itself.
func commonDir(gitDir string) string {
	if c := os.Getenv("GIT_COMMON_DIR"); c != "" {
		if abs, err := filepath.Abs(c); err == nil {
			return abs
		}
		return c
	}
	b, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(b))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c)
}

// find walks up from dir to the directory holding .git (a directory, or a
// file naming the gitdir of a linked worktree), or recognises a bare
// repository.
func find(dir string) (root, gitDir string, err error) {
	start := dir
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, ".git")
		fi, err := os.Stat(p)
		switch {
		case err == nil && fi.IsDir() && isGitDir(p, commonDir(p)):
			return dir, p, nil
		case err == nil && !fi.IsDir():
			gd, err := readGitFile(p)
			if err != nil {
				return "", "", err
			}
			if _, err := os.Stat(gd); err != nil {
				return "", "", fmt.Errorf("%s names %s, which is gone: %w", p, gd, ErrNotRepository)
			}
			if c := commonDir(gd); !isGitDir(gd, c) {
				return "", "", fmt.Errorf("%s: linked worktree whose repository %s is gone: %w", dir, c, ErrNotRepository)
			}
			return dir, gd, nil
		case isGitDir(dir, commonDir(dir)):
			return "", dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", fmt.Errorf("%s: %w", start, ErrNotRepository)
		}
		dir = parent
	}
}

// readGitFile reads a .git file's "gitdir: PATH" (relative to the file).
func readGitFile(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gd, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir: ")
	if !ok {
		return "", fmt.Errorf("%s: no gitdir line: %w", p, ErrNotRepository)
	}
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(filepath.Dir(p), gd)
	}
	return filepath.Clean(gd), nil
}

// isGitDir is git's test for a repository directory: HEAD, and the
// objects and refs directories (shared ones in a linked worktree).
func isGitDir(gitDir, common string) bool {
	objects := filepath.Join(common, "objects")
	if o := os.Getenv("GIT_OBJECT_DIRECTORY"); o != "" {
		objects = o
	}
	for _, p := range []string{filepath.Join(gitDir, "HEAD"), objects, filepath.Join(common, "refs")} {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}
