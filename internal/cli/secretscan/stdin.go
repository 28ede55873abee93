package secretscan

import "github.com/tokenguard/tokenguard/internal/source"

type stdinCmd struct {
	Name string `placeholder:"NAME" help:"Path to report findings under; NAME ending in .ipynb or .json reads the input as JSON (default: -, and JSON when the input starts with { or [)."`
}

func (c *stdinCmd) Help() string {
	return `Scans standard input as one file. At most --max-size bytes are read: longer
input is not scanned, and says so.

Exits 0 when clean, 1 when secrets are found, 2 on a bad flag or
configuration, 3 when the input could not be read or is over --max-size
(unless --allow-large).

  $ git diff --cached | secretscan stdin
  $ curl -s https://example.com/notebook.ipynb | secretscan stdin --name notebook.ipynb`
}

func (c *stdinCmd) Run(d *scanner) error {
	return d.scanAndReport(source.Stdin{R: d.stdin, Name: c.Name, Options: d.sourceOptions()})
}
