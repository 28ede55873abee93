package secretscan

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/scan"
)

type mergeCmd struct {
	Reports []string `arg:"" name:"report" placeholder:"REPORT" help:"JSON reports to combine (written with -f json --report)."`
}

func (c *mergeCmd) Help() string {
	return `Combines JSON reports, such as those the jobs of 'secretscan hub --shard
K/N -f json --report FILE' write, into one report in any format
(-f/--format, --report): the findings once each (by repository, commit,
file, line, rule and fingerprint), sorted, and everything any report
could not read. Only JSON reports are read: SARIF leaves out fields a
merge needs; write the shards as JSON and the merge as SARIF.

A report of a shard records its K/N: when reports of N shares are merged,
every share from 1 to N must be there, or the merge is incomplete. A job
that failed before writing its report is a missing share, never a
silent pass. The baseline and --verify are applied by the jobs, not here.

Exits 0 when every report is complete and clean, 1 when a report has a
secret (whatever else is missing), 2 when a file cannot be read or is not
a JSON report of secretscan, 3 when a report says something was not read
or a share is missing.

  $ secretscan merge shard-*.json
  $ secretscan merge -f sarif --report hub.sarif shard-1.json shard-2.json shard-3.json`
}

func (c *mergeCmd) Run(d *scanner) error {
	if d.cli.Verify {
		return clikit.Errorf(clikit.ExitUsage, "pass --verify to the jobs that scan; their reports carry what it found", "--verify does not apply to merge: a report holds no secret to check")
	}
	var found []scan.Finding
	var ns []report.NotScanned
	shards := map[int]map[int]bool{} // N → K seen
	for _, path := range c.Reports {
		p, err := readReport(path)
		if err != nil {
			return err
		}
		found = append(found, p.Findings...)
		ns = append(ns, p.NotScanned...)
		if p.Shard != "" {
			k, n, err := parseShard(p.Shard)
			if err != nil {
				return clikit.Errorf(clikit.ExitUsage, "pass reports written by 'secretscan hub --shard K/N -f json'", "%s: %w", path, err)
			}
			if shards[n] == nil {
				shards[n] = map[int]bool{}
			}
			shards[n][k] = true
		}
	}
	found, ns = dedupFindings(found), dedupNotScanned(ns)
	sortFindings(found)
	sortNotScanned(ns)
	if err := d.writeReport(found, report.Options{NotScanned: ns}); err != nil {
		return err
	}

	var problems []string
	for _, n := range slices.Sorted(maps.Keys(shards)) {
		var missing []string
		for k := 1; k <= n; k++ {
			if !shards[n][k] {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		if len(missing) > 0 {
			problems = append(problems, "no report of shard "+strings.Join(missing, ", "))
		}
	}
	if unread := onlyIncomplete(ns); len(unread) > 0 {
		problems = append(problems, report.NotScannedSummary(unread))
	}
	hint := "run the jobs again for what was not read; a missing shard's job must write its report (-f json --report)"
	if failing := scan.Failing(found); failing > 0 {
		repos := map[string]bool{}
		for _, f := range found {
			if !f.Informational {
				repos[cmp.Or(f.Repository, f.File)] = true
			}
		}
		msg := fmt.Sprintf("%s found in %s of %s", plural(failing, "secret"), plural(len(repos), "place"), plural(len(c.Reports), "report"))
		if len(problems) > 0 {
			msg += "; incomplete: " + strings.Join(problems, "; ")
		}
		return clikit.Errorf(clikit.ExitPolicy, "remove them from the files and the history, and rotate them", "%s", msg)
	}
	if len(problems) > 0 {
		return clikit.Errorf(clikit.ExitIncomplete, hint, "merge incomplete: %s", strings.Join(problems, "; "))
	}
	return nil
}

// readReport reads one JSON report; any failure is a usage error naming it.
func readReport(path string) (*report.Parsed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "check the path: each job's report must be downloaded before the merge", "failed to read report: %w", err)
	}
	defer f.Close()
	p, err := report.ReadJSON(f)
	if errors.Is(err, report.ErrNotReport) {
		return nil, clikit.Errorf(clikit.ExitUsage, "pass reports written with -f json (a report file is written whole, so a cut one came from elsewhere)", "%s: %w", path, err)
	}
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "check the file", "%s: %w", path, err)
	}
	return p, nil
}

// findingKey is what makes two findings the same one.
func findingKey(f scan.Finding) string {
	return strings.Join([]string{f.Repository, f.Commit, f.File, fmt.Sprint(f.Line), f.RuleID, f.Fingerprint}, "\x00")
}

func dedupFindings(fs []scan.Finding) []scan.Finding {
	seen := map[string]bool{}
	return slices.DeleteFunc(fs, func(f scan.Finding) bool {
		k := findingKey(f)
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

func dedupNotScanned(ns []report.NotScanned) []report.NotScanned {
	seen := map[report.NotScanned]bool{}
	return slices.DeleteFunc(ns, func(n report.NotScanned) bool {
		dup := seen[n]
		seen[n] = true
		return dup
	})
}

// sortFindings is the one order of hub reports and merges, total so that
// the same findings always print the same.
func sortFindings(fs []scan.Finding) {
	slices.SortStableFunc(fs, func(a, b scan.Finding) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), strings.Compare(a.File, b.File),
			strings.Compare(a.Commit, b.Commit), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column),
			strings.Compare(a.RuleID, b.RuleID), strings.Compare(a.Fingerprint, b.Fingerprint))
	})
}

func sortNotScanned(ns []report.NotScanned) {
	slices.SortStableFunc(ns, func(a, b report.NotScanned) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Commit, b.Commit), strings.Compare(a.Reason, b.Reason))
	})
}

func onlyIncomplete(ns []report.NotScanned) []report.NotScanned {
	var out []report.NotScanned
	for _, n := range ns {
		if n.Incomplete {
			out = append(out, n)
		}
	}
	return out
}
