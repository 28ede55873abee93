package secretscan

import "github.com/tokenguard/tokenguard/internal/source"

type historyCmd struct {
	All            bool     `help:"Every reference: all branches, tags, remote-tracking refs and the stash, and HEAD."`
	Branch         []string `placeholder:"REF" help:"Scan the history of REF (repeatable; default: HEAD)."`
	AllOccurrences bool     `name:"all-occurrences" help:"Report a secret in every commit that adds it, not only the first."`
	AllowMissing   bool     `name:"allow-missing" help:"Scan what can be read when objects are missing from the repository, naming each one in a warning, instead of exiting 3."`
}

func (c *historyCmd) Help() string {
	return `Scans every commit reachable from HEAD (or --branch REF…, or --all),
including merge commits: a secret typed while resolving a merge conflict
exists only in the merge commit, and other scanners skip merges. Each
commit contributes the lines it added relative to its first parent (for a
merge, the lines no parent had).

Each finding names the earliest commit that introduced the secret, with its
author and date; the same secret surviving or re-added in later commits is
reported once, unless --all-occurrences. Progress is shown on a terminal.

Exits 0 when clean, 1 when secrets are found, 2 on a bad flag, revision or
configuration, 3 when the repository could not be read (not a repository,
a shallow clone: 'git fetch --unshallow' first; an object missing or
corrupt). A missing object is named in a warning and the rest is still
scanned; the exit code is then 3 unless secrets were found (1) or
--allow-missing accepts it (0 when clean). A partial clone fetches the
objects it lacks from its promisor remote, as git does.

  $ secretscan history
  $ secretscan history --all -f sarif --report history.sarif
  $ secretscan history --branch main --branch release`
}

func (c *historyCmd) Run(d *scanner) error {
	return d.scanHistory(&source.History{Include: c.Branch, All: c.All, AllowMissing: c.AllowMissing}, c.AllOccurrences)
}
