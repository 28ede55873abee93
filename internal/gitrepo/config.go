package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/config"
)

// repoConfig is what opening a repository needs from its config: the
// format version, the extensions (keys lower-cased: git compares them
// without case), where the work tree is, and whether there is one.
type repoConfig struct {
	version    int
	extensions map[string]string
	bare       *bool  // core.bare, when set
	worktree   string // core.worktree, as written
}

// readConfig reads common/config and, with extensions.worktreeConfig,
// gitDir/config.worktree on top of it. A missing file is an empty config.
func readConfig(common, gitDir string) (*repoConfig, error) {
	rc := &repoConfig{extensions: map[string]string{}}
	if err := rc.read(filepath.Join(common, "config")); err != nil {
		return nil, err
	}
	if b, _ := parseBool(rc.extensions["worktreeconfig"]); b {
		if err := rc.read(filepath.Join(gitDir, "config.worktree")); err != nil {
			return nil, err
		}
	}
	return rc, nil
}

func (rc *repoConfig) read(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", path, err)
	}
	c := config.New()
	if err := config.NewDecoder(bytes.NewReader(b)).Decode(c); err != nil {
		return fmt.Errorf("%s: bad config file: %w", path, err)
	}
	for _, s := range c.Sections {
		switch {
		case s.IsName("core"):
			for _, o := range s.Options {
				switch strings.ToLower(o.Key) {
				case "repositoryformatversion":
					v, err := strconv.Atoi(strings.TrimSpace(o.Value))
					if err != nil {
						return fmt.Errorf("%s: bad core.repositoryformatversion %q: %w", path, o.Value, ErrNotRepository)
					}
					rc.version = v
				case "bare":
					b, ok := parseBool(o.Value)
					if !ok {
						return fmt.Errorf("%s: bad core.bare %q: %w", path, o.Value, ErrNotRepository)
					}
					rc.bare = &b
				case "worktree":
					rc.worktree = o.Value
				}
			}
		case s.IsName("extensions"):
			for _, o := range s.Options {
				rc.extensions[strings.ToLower(o.Key)] = o.Value
			}
		}
	}
	return nil
}

// parseBool reads a git boolean; a key with no value is true.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// check refuses what the reader cannot read correctly, as git refuses an
// extension it does not know. It reports whether refs are in a reftable.
func (rc *repoConfig) check(gitDir string) (reftable bool, err error) {
	switch rc.version {
	case 0:
		// Version 0 ignores extensions, as git does, but refuses those
		// that only version 1 may hold.
		for _, k := range []string{"objectformat", "refstorage"} {
			if v, ok := rc.extensions[k]; ok {
				return false, fmt.Errorf("%s: extensions.%s = %s in a version 0 repository, which git refuses too (core.repositoryformatversion must be 1): %w", gitDir, k, v, ErrNotRepository)
			}
		}
		return false, nil
	case 1:
	default:
		return false, fmt.Errorf("%s: repository format version %d is newer than this reader knows (1): %w", gitDir, rc.version, ErrNotRepository)
	}
	for k, v := range rc.extensions {
		switch k {
		case "worktreeconfig", "preciousobjects", "partialclone", "noop":
		case "objectformat":
			switch strings.ToLower(v) {
			case "sha1":
			case "sha256":
				return false, fmt.Errorf("%s: extensions.objectFormat = sha256: %w", gitDir, ErrUseGit)
			default:
				return false, fmt.Errorf("%s: unknown extensions.objectFormat %q: %w", gitDir, v, ErrNotRepository)
			}
		case "refstorage":
			switch strings.ToLower(v) {
			case "files":
			case "reftable":
				reftable = true
			default:
				return false, fmt.Errorf("%s: unknown extensions.refStorage %q: %w", gitDir, v, ErrNotRepository)
			}
		default:
			return false, fmt.Errorf("%s: unknown repository extension %q (extensions.%s = %s), which git refuses too: %w", gitDir, k, k, v, ErrNotRepository)
		}
	}
	return reftable, nil
}
