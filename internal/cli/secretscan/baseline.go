package secretscan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

type baselineCmd struct {
	Paths     []string `arg:"" optional:"" name:"path" predictor:"file" help:"Files or directories to scan (default: the current directory)."`
	Output    string   `short:"o" placeholder:"PATH" help:"Baseline file to write (default: --baseline, else [scan] baseline of the config, else .secretscan-baseline.json)."`
	Gitignore *bool    `negatable:"" help:"Leave out what .gitignore files ignore (default: [scan] gitignore of the config, else off)."`
}

func (c *baselineCmd) Help() string {
	return `Scans like 'secretscan dir' and writes every finding to the baseline file:
for the files scanned, findings fixed since are dropped and new ones accepted;
with PATH arguments, the entries of files outside them are kept; without, the
file is replaced.
Later scans leave baselined findings out. Entries are keyed by rule, secret
fingerprint (never the secret) and path, not by line, so edits elsewhere in
a file keep them valid. Commit the file.

Accepting a finding does not make the secret safe: rotate real credentials.

Files that cannot be read (or are over --max-size) keep their entries and
are listed; the file is written, and the exit code is then 3.

Exits 0 when the file was written from a complete scan, 2 on a bad flag or
configuration, 3 when the write failed or something was not scanned.

  $ secretscan baseline
  $ secretscan baseline -o .secretscan-baseline.json src/ notebooks/`
}

func (c *baselineCmd) Run(d *scanner) error {
	out := c.Output
	if out == "" {
		out, _, _ = d.setup.BaselinePath(d.cli.Baseline, ".")
	}
	gi := d.config.Gitignore != nil && *d.config.Gitignore
	if c.Gitignore != nil {
		gi = *c.Gitignore
	}
	var src source.Source = source.Dir{Root: ".", Gitignore: gi, Options: d.sourceOptions()}
	if len(c.Paths) > 0 {
		src = source.Files{Paths: c.Paths, Options: d.sourceOptions()}
		if gi {
			src = source.Roots{Roots: c.Paths, Options: d.sourceOptions()}
		}
	}
	// An existing baseline keeps its entries for files this run did not
	// read, so that 'secretscan baseline src/' does not forget the rest.
	var old *scan.Baseline
	if _, err := os.Stat(out); err == nil {
		if old, err = scan.LoadBaseline(out); err != nil {
			return clikit.Errorf(clikit.ExitUsage, "fix or remove the file, or write elsewhere with -o PATH", "%w", err)
		}
	}
	scanned := map[string]bool{}
	found, err := d.collect(recordPaths{src, scanned})
	if err != nil {
		return err
	}
	bl := scan.NewBaseline(found)
	// A whole-tree run replaces the file: entries of deleted files go too;
	// those of files that could not be read stay.
	_, incomplete := d.notScanned()
	unread := func(path string) bool {
		for _, s := range incomplete {
			// An unreadable directory keeps the entries of its files.
			if p := strings.TrimPrefix(s.Path, "./"); path == p || strings.HasPrefix(path, p+"/") {
				return true
			}
		}
		return false
	}
	kept := bl.KeepFrom(old, func(path string) bool { return unread(path) || len(c.Paths) > 0 && !scanned[path] })
	if err := bl.Write(out); err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check that the directory exists and is writable", "%w", err)
	}
	msg := fmt.Sprintf("%s: wrote %s to %s", name, plural(bl.Len(), "accepted finding"), out)
	if kept > 0 {
		msg += fmt.Sprintf(" (%d kept for files not scanned)", kept)
	}
	fmt.Fprintln(d.stdout, msg)
	if len(incomplete) > 0 {
		for _, s := range incomplete {
			fmt.Fprintf(d.stdout, "  not scanned: %s  %s\n", s.Path, s.Reason)
		}
		return d.incompleteError(incomplete)
	}
	return nil
}

// recordPaths notes the path of every fragment its source yields.
type recordPaths struct {
	source.Source
	seen map[string]bool
}

func (r recordPaths) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	return r.Source.Fragments(ctx, func(f scan.Fragment) error {
		r.seen[strings.TrimPrefix(filepath.ToSlash(f.Path), "./")] = true
		return yield(f)
	})
}
