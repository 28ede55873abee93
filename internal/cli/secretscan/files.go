package secretscan

import "github.com/tokenguard/tokenguard/internal/source"

type filesCmd struct {
	Paths []string `arg:"" name:"path" predictor:"file" help:"Files to scan; a directory is walked."`
}

func (c *filesCmd) Help() string {
	return `Scans each file named. This is what the pre-commit framework runs with the
staged files. Binary files and files over --max-size are skipped (the latter
with a warning). .ipynb and .json files are read with their strings decoded,
so tokens inside notebook cells and outputs are found.
Inside a git work tree, a file that is in the index is read from the index
(what would be committed), any other from disk.

Exits 0 when clean, 1 when secrets are found, 2 on a bad flag, path or
configuration, 3 when the scan could not complete.

  $ secretscan files train.py .env notebooks/eda.ipynb
  $ secretscan --verify files .env
  $ secretscan files -f json $(git ls-files)`
}

func (c *filesCmd) Run(d *deps) error {
	return d.scanAndReport(source.StagedFiles{Paths: c.Paths, Options: d.sourceOptions()})
}
