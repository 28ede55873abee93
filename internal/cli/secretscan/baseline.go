package secretscan

import (
	"fmt"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

type baselineCmd struct {
	Paths     []string `arg:"" optional:"" name:"path" help:"Files or directories to scan (default: the current directory)."`
	Output    string   `short:"o" placeholder:"PATH" help:"Baseline file to write (default: --baseline, else [scan] baseline of the config, else .secretscan-baseline.json)."`
	Gitignore *bool    `negatable:"" help:"Leave out what .gitignore files ignore (default: [scan] gitignore of the config, else off)."`
}

func (c *baselineCmd) Help() string {
	return `Scans like 'secretscan dir' and writes every finding to the baseline file,
replacing what it held: findings fixed since are dropped, new ones accepted.
Later scans leave baselined findings out. Entries are keyed by rule, secret
fingerprint (never the secret) and path, not by line, so edits elsewhere in
a file keep them valid. Commit the file.

Accepting a finding does not make the secret safe: rotate real credentials.

Exits 0 when the file was written, 2 on a bad flag or configuration, 3 when
the scan or the write failed.

  $ secretscan baseline
  $ secretscan baseline -o .secretscan-baseline.json src/ notebooks/`
}

func (c *baselineCmd) Run(d *deps) error {
	out := c.Output
	if out == "" {
		out, _ = d.baselinePath()
	}
	gi := d.config.Gitignore != nil && *d.config.Gitignore
	if c.Gitignore != nil {
		gi = *c.Gitignore
	}
	var src source.Source = source.Dir{Root: ".", Gitignore: gi, Options: d.sourceOptions()}
	if len(c.Paths) > 0 {
		src = source.Files{Paths: c.Paths, Options: d.sourceOptions()}
		if gi {
			src = multiDir(c.Paths, d.sourceOptions())
		}
	}
	found, err := d.collect(src)
	if err != nil {
		return err
	}
	bl := scan.NewBaseline(found)
	if err := bl.Write(out); err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check that the directory exists and is writable", "%w", err)
	}
	fmt.Fprintf(d.stdout, "%s: wrote %s to %s\n", name, plural(bl.Len(), "accepted finding"), out)
	return nil
}
