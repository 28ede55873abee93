// Package scanconf is what secretscan and pushguard both make of the
// configuration before a scan: the detection engine, the baseline of
// accepted findings, and the exit code and next step of a repository that
// cannot be read. It lives with the command lines so that the engine never
// learns about flags or exit codes.
package scanconf

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// DefaultBaseline is the baseline file `secretscan baseline` writes when
// neither --baseline nor [scan] baseline names one.
const DefaultBaseline = ".secretscan-baseline.json"

// Setup is the configuration in force and the engine built from it.
type Setup struct {
	File   config.File
	Path   string // the configuration file; "" when there is none
	Engine *scan.Engine
}

// Load reads the configuration file at path, else the one that applies to
// dir (config.Load), and builds the engine from its [scan] table. Both
// kinds of failure are usage errors naming the file.
func Load(path, dir string) (*Setup, error) {
	s := &Setup{Path: path}
	var err error
	if path != "" {
		s.File, err = config.Read(path)
	} else {
		s.File, s.Path, err = config.Load(dir)
	}
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "fix the file, or see the README for the keys of "+config.FileName, "%w", err)
	}
	s.Engine, err = scan.New(engineConfig(s.File.Scan))
	if err != nil {
		where := s.Path
		if where == "" {
			where = "the built-in rules"
		}
		return nil, clikit.Errorf(clikit.ExitUsage, "fix the [scan] table of "+where, "%s: %w", where, err)
	}
	return s, nil
}

// engineConfig is the engine's view of a [scan] table. The conversions
// compile only while config's plain copies match the engine's spec types.
func engineConfig(c config.Scan) scan.Config {
	cfg := scan.Config{Disable: c.Disable}
	for _, r := range c.Rules {
		cfg.Rules = append(cfg.Rules, scan.RuleSpec(r))
	}
	for _, a := range c.Allowlists {
		cfg.Allowlists = append(cfg.Allowlists, scan.AllowlistSpec(a))
	}
	return cfg
}

// MaxSize is the largest file scanned for secrets: flag (secretscan
// --max-size, pushguard --scan-max-size, or TOKENGUARD_MAX_FILE_SIZE),
// else [scan] max_file_size, else 10 MiB.
func (s *Setup) MaxSize(flag bytesize.Size) int64 {
	return int64(cmp.Or(flag, s.File.Scan.MaxFileSize, source.DefaultMaxSize))
}

// BaselinePath is the baseline file in force: flag (--baseline), else
// [scan] baseline resolved against the configuration file's directory,
// else DefaultBaseline in dir. named reports that the user chose the file,
// which then must exist; origin says where it was named, for hints.
func (s *Setup) BaselinePath(flag, dir string) (path string, named bool, origin string) {
	switch p := s.File.Scan.Baseline; {
	case flag != "":
		return flag, true, "--baseline"
	case p != "":
		if !filepath.IsAbs(p) && s.Path != "" {
			p = filepath.Join(filepath.Dir(s.Path), p)
		}
		return p, true, "[scan] baseline in " + s.Path
	}
	return filepath.Join(dir, DefaultBaseline), false, ""
}

// Baseline loads the baseline in force (see BaselinePath): nil when it is
// the default file and that does not exist; a usage error when it cannot
// be used.
func (s *Setup) Baseline(flag, dir string) (*scan.Baseline, error) {
	path, named, origin := s.BaselinePath(flag, dir)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !named {
		return nil, nil
	}
	bl, err := scan.LoadBaseline(path)
	if err != nil {
		hint := "create it with 'secretscan baseline'"
		if origin != "" {
			hint += ", or fix " + origin
		}
		return nil, clikit.Errorf(clikit.ExitUsage, hint, "%w", err)
	}
	return bl, nil
}

// GitError gives a repository problem its exit code and next step, or is
// nil when err is not one. outside is the next step in a directory that
// is no repository, which differs per tool.
func GitError(err error, outside string) error {
	switch {
	case errors.Is(err, source.ErrBadRevision):
		return clikit.Errorf(clikit.ExitUsage, "check the revision with 'git rev-parse REV'", "%w", err)
	case errors.Is(err, gitrepo.ErrNotRepository):
		return clikit.Errorf(clikit.ExitIncomplete, outside, "%w", err)
	case errors.Is(err, gitrepo.ErrUnbornHead):
		return clikit.Errorf(clikit.ExitIncomplete, "name what to scan: --all, or a revision with --branch", "%w", err)
	case errors.Is(err, gitrepo.ErrShallow):
		return clikit.Errorf(clikit.ExitIncomplete, "fetch the whole history first: git fetch --unshallow", "%w", err)
	case errors.Is(err, gitrepo.ErrMissingObject), errors.Is(err, gitrepo.ErrCorrupt):
		return clikit.Errorf(clikit.ExitIncomplete, "the repository is corrupt or incomplete: run 'git fsck' and fetch again", "%w", err)
	}
	return nil
}
