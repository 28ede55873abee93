package secretscan

import "github.com/tokenguard/tokenguard/internal/source"

type filesCmd struct {
	Paths []string `arg:"" name:"path" predictor:"file" help:"Files to scan; a directory is walked."`
}

func (c *filesCmd) Help() string {
	return `Scans each file named. This is what the pre-commit framework runs with the
staged files. .ipynb and .json files are read with their strings decoded,
so tokens inside notebook cells and outputs are found.
Inside a git work tree, a file that is in the index is read from the index
(what would be committed), any other from disk. Pipes and devices named
(<(cmd), /dev/stdin, a FIFO) are read too, up to --max-size.

What is not scanned is listed in the report, and the other files are still
scanned: files over --max-size, files that cannot be read (a dangling
symbolic link, no permission), binary files (counted, no effect on the exit
code).

Exits 0 when everything was read and is clean, 1 when secrets are found
(whatever else could not be read), 2 on a bad flag or configuration or a
path that does not exist, 3 when something was not scanned (files over
--max-size are accepted with --allow-large).

  $ secretscan files train.py .env notebooks/eda.ipynb
  $ secretscan --verify files .env
  $ secretscan files -f json $(git ls-files)`
}

func (c *filesCmd) Run(d *scanner) error {
	return d.scanAndReport(source.StagedFiles{Paths: c.Paths, Options: d.sourceOptions()})
}
