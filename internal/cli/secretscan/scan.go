package secretscan

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/cli/scanconf"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
	"github.com/tokenguard/tokenguard/internal/verify"
)

// sourceOptions are the options every source gets from flags and config.
// What a source leaves out is collected for the report.
func (d *scanner) sourceOptions() source.Options {
	return source.Options{
		MaxSize: d.maxSize(),
		Exclude: d.engine.PathAllowed,
		Skipped: func(path, reason string) {
			d.skips.Add(path, reason)
			entry := d.log.WithFields(logrus.Fields{authlog.FieldEvent: "skip", authlog.FieldSource: path})
			if reason == source.ReasonBinary {
				entry.Debugf("%s: not scanned, %s", path, reason)
				return
			}
			entry.Infof("%s: not scanned, %s", path, reason)
		},
	}
}

func (d *scanner) maxSize() int64 { return d.setup.MaxSize(d.cli.MaxSize) }

// notScanned is what the sources left out, for the report, and how many
// of those leave the scan incomplete.
func (d *scanner) notScanned() (ns []report.NotScanned, incomplete []source.Skip) {
	for _, s := range d.skips.List() {
		inc := s.Incomplete(d.cli.AllowLarge)
		ns = append(ns, report.NotScanned{Path: s.Path, Commit: s.Commit, Reason: skipReason(s), Incomplete: inc})
		if inc {
			incomplete = append(incomplete, s)
		}
	}
	return ns, incomplete
}

// incompleteError is the verdict on a scan without findings that left
// something unread: a path that does not exist is a usage error (2),
// anything else could not be read (3).
func (d *scanner) incompleteError(incomplete []source.Skip) error {
	if len(incomplete) == 0 {
		return nil
	}
	var missing []string
	large := false
	for _, s := range incomplete {
		if s.Missing() {
			missing = append(missing, s.Path)
		}
		large = large || s.TooLarge()
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(missing)-1)
		}
		return clikit.Errorf(clikit.ExitUsage, "check the path", "%s: %w%s", missing[0], source.ErrNotFound, more)
	}
	hint := "make the files listed readable, or leave them out"
	if large {
		hint = fmt.Sprintf("raise --max-size (now %s) to scan larger files, or accept them unscanned with --allow-large", bytesize.Size(d.maxSize()))
	}
	return clikit.Errorf(clikit.ExitIncomplete, hint, "scan incomplete: %s", report.NotScannedSummary(notIn(incomplete)))
}

// notIn turns skips into report entries (all incomplete).
func notIn(skips []source.Skip) []report.NotScanned {
	out := make([]report.NotScanned, len(skips))
	for i, s := range skips {
		out[i] = report.NotScanned{Path: s.Path, Commit: s.Commit, Reason: s.Reason, Incomplete: true}
	}
	return out
}

// collect runs src through the engine and drops baselined findings.
func (d *scanner) collect(src source.Source) ([]scan.Finding, error) {
	found, err := source.Scan(d.ctx, d.engine, src)
	var incomplete *source.IncompleteError
	switch {
	case errors.As(err, &incomplete):
		// Everything readable was scanned: report it, and fail after.
		return found, err
	case errors.Is(err, source.ErrNotFound):
		return nil, clikit.Errorf(clikit.ExitUsage, "check the path", "%w", err)
	case scanconf.GitError(err, notRepoHint) != nil:
		return nil, scanconf.GitError(err, notRepoHint)
	case err != nil:
		return nil, clikit.Errorf(clikit.ExitIncomplete, "", "scan incomplete: %w", err)
	}
	return found, nil
}

// scanAndReport is the whole of every scanning command: scan, filter
// through the baseline, write the report, and decide: findings are exit
// 1, even when something else could not be read; else anything left
// unread (but binary files, and files over the limit with --allow-large)
// is exit 3; else 0.
func (d *scanner) scanAndReport(src source.Source) error {
	bl, err := d.loadBaseline()
	if err != nil {
		return err
	}
	found, err := d.collect(src)
	var missingObjs *source.IncompleteError // history: objects not read
	if !errors.As(err, &missingObjs) && err != nil {
		return err
	}
	if r, ok := src.(reducer); ok {
		found = r.Reduce(found) // history: each secret once, at its earliest commit
	}
	all := len(found)
	found = bl.Filter(found)
	if d.cli.Verify {
		verify.New(d.log, d.cli.Timeout, clikit.UserAgent(name)).Verify(d.ctx, found)
	}
	ns, incomplete := d.notScanned()
	if err := d.writeReport(found, report.Options{NotScanned: ns}); err != nil {
		return err
	}
	for _, f := range found {
		// The audit trail of what was found: masked and fingerprinted only.
		d.log.WithFields(logrus.Fields{
			authlog.FieldEvent:       "finding",
			authlog.FieldProvider:    f.Provider,
			authlog.FieldSource:      fmt.Sprintf("%s:%d", f.File, f.Line),
			authlog.FieldFingerprint: f.Fingerprint,
			authlog.FieldMasked:      f.Masked,
			"rule":                   f.RuleID,
			"commit":                 f.Commit,
		}).Info("secret found")
	}
	d.log.WithFields(logrus.Fields{
		authlog.FieldEvent: "scan",
		"findings":         len(found),
		"baselined":        all - len(found),
		"not_scanned":      len(ns),
		"incomplete":       len(incomplete),
	}).Info("scan complete")
	// Informational findings (public-by-design keys) are reported but
	// never fail the scan.
	failing := scan.Failing(found)
	if failing == 0 {
		if missingObjs != nil {
			return clikit.Errorf(clikit.ExitIncomplete, missingHint, "scan incomplete: %w", missingObjs)
		}
		return d.incompleteError(incomplete)
	}
	files := map[string]bool{}
	for _, f := range found {
		if !f.Informational {
			files[f.File] = true
		}
	}
	msg := fmt.Sprintf("%s found in %s", plural(failing, "secret"), plural(len(files), "file"))
	hint := "remove them and rotate them; for a false positive add a '# tokenguard:allow' comment or an allowlist, or accept existing ones with 'secretscan baseline'"
	if d.cli.Verify {
		live := 0
		for _, f := range found {
			if f.Verification == verify.Valid {
				live++
			}
		}
		if live > 0 {
			msg += fmt.Sprintf(", %d verified live", live)
			hint = "revoke the live ones first, at their provider, then remove them from the files"
		}
	}
	if len(incomplete) > 0 {
		msg += fmt.Sprintf("; %s not scanned", plural(len(incomplete), "file"))
	}
	if missingObjs != nil {
		// Findings decide the exit code; the missing objects are among
		// the files not scanned, counted above.
		hint += "; then " + missingHint
	}
	return clikit.Errorf(clikit.ExitPolicy, hint, "%s", msg)
}

// missingHint is the next step when a history scan met missing objects.
const missingHint = "fetch the missing objects (or run 'git fsck' to see what is lost), or pass --allow-missing to accept scanning without them"

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// writeReport renders the report, then writes it to stdout or, atomically,
// to --report. opts carries what the caller knows (not-scanned entries, a
// shard); the rest comes from the flags and the engine.
func (d *scanner) writeReport(found []scan.Finding, opts report.Options) error {
	w, _ := report.Lookup(d.cli.Format)
	opts.NoRedact, opts.Tool, opts.Version = d.cli.NoRedact, name, clikit.Version()
	for _, r := range d.engine.Rules() {
		opts.Rules = append(opts.Rules, report.Rule{ID: r.ID, Description: r.Description, Provider: r.Provider})
	}
	if d.cli.Report == "" {
		opts.Color = d.cli.Format == "text" && isTerminal(d.stdout) && os.Getenv("NO_COLOR") == ""
		if err := w.Write(d.stdout, found, opts); err != nil {
			return clikit.Errorf(clikit.ExitIncomplete, "", "failed to write the report: %w", err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, found, opts); err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "", "failed to write the report: %w", err)
	}
	if err := atomicfile.Write(d.cli.Report, buf.Bytes(), 0o600); err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check that the directory of --report exists and is writable", "%w", err)
	}
	return nil
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
