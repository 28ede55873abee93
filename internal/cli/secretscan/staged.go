package secretscan

import "github.com/tokenguard/tokenguard/internal/source"

type stagedCmd struct{}

func (c *stagedCmd) Help() string {
	return `Scans what 'git commit' would record now: the lines each staged file adds to
HEAD, read from the index, so a partially staged file is scanned as staged
and not as it is on disk. Line numbers are those of the staged version;
paths are relative to the top of the work tree. This is what the git
pre-commit hook runs.

Renamed, copied and deleted files, mode changes, symbolic links and
submodules add nothing to scan; binary files are skipped. During a merge
(MERGE_HEAD) only lines neither parent has are scanned: what the merge
resolution itself adds. Works from any subdirectory and in linked
worktrees, and before the first commit.

Bypass once with 'git commit --no-verify' (or SKIP=secretscan under the
pre-commit framework).

Exits 0 when clean, 1 when secrets are found, 2 on a bad flag or
configuration, 3 when the repository could not be read.

  $ git add train.py && secretscan staged
  $ secretscan staged -f json`
}

func (c *stagedCmd) Run(d *scanner) error {
	return d.scanAndReport(source.Staged{Options: d.sourceOptions()})
}
