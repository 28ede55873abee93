package secretscan

import (
	"strings"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/source"
)

type rangeCmd struct {
	Range          string `arg:"" optional:"" placeholder:"A..B" help:"Commits reachable from B and not from A; A.. means A..HEAD."`
	Since          string `placeholder:"REF" xor:"range" help:"Commits since REF: the same as REF..HEAD."`
	NotPushed      bool   `name:"not-pushed" xor:"range" help:"Commits of local branches and HEAD that are on no remote-tracking ref."`
	AllOccurrences bool   `name:"all-occurrences" help:"Report a secret in every commit that adds it, not only the first."`
	AllowMissing   bool   `name:"allow-missing" help:"Scan what can be read when objects are missing from the repository, naming each one in a warning, instead of exiting 3."`
}

func (c *rangeCmd) Help() string {
	return `Scans every commit of a range, merge commits included: the lines each commit
added relative to its first parent (for a merge, the lines no parent had).
Each finding names its commit, author and date; a secret added again later
is reported once, at the earliest commit, unless --all-occurrences.

Exits 0 when clean, 1 when secrets are found, 2 on a bad flag, revision or
configuration, 3 when the repository could not be read (a shallow clone
that ends inside the range, a corrupt repository). A missing object is
named in a warning and the rest is still scanned; the exit code is then 3
unless secrets were found (1) or --allow-missing accepts it (0 when clean).
A partial clone fetches the objects it lacks from its promisor remote.

  $ secretscan range origin/main..HEAD
  $ secretscan range --since v1.2.0
  $ secretscan range --not-pushed`
}

func (c *rangeCmd) Validate() error {
	if c.Range == "" && c.Since == "" && !c.NotPushed {
		return clikit.Errorf(clikit.ExitUsage, "give A..B, --since REF or --not-pushed", "no range given")
	}
	if c.Range != "" && (c.Since != "" || c.NotPushed) {
		return clikit.Errorf(clikit.ExitUsage, "give A..B, --since REF or --not-pushed, only one", "a range and --since or --not-pushed given together")
	}
	if c.Range != "" && (!strings.Contains(c.Range, "..") || strings.Contains(c.Range, "...")) {
		return clikit.Errorf(clikit.ExitUsage, "write the range as A..B (A.. for A..HEAD)", "range %q is not of the form A..B", c.Range)
	}
	return nil
}

func (c *rangeCmd) Run(d *scanner) error {
	h := &source.History{NotPushed: c.NotPushed, AllowMissing: c.AllowMissing}
	switch {
	case c.Since != "":
		h.Include, h.Exclude = []string{"HEAD"}, []string{c.Since}
	case c.Range != "":
		a, b, _ := strings.Cut(c.Range, "..")
		h.Include, h.Exclude = []string{or(b, "HEAD")}, []string{or(a, "HEAD")}
	}
	return d.scanHistory(h, c.AllOccurrences)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
