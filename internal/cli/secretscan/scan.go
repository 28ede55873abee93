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
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// sourceOptions are the options every source gets from flags and config.
func (d *deps) sourceOptions() source.Options {
	maxSize := int64(d.cli.MaxSize)
	if maxSize == 0 {
		maxSize = d.config.MaxFileSize
	}
	return source.Options{
		MaxSize: maxSize,
		Exclude: d.engine.PathAllowed,
		Skipped: func(path, reason string) {
			entry := d.log.WithFields(logrus.Fields{authlog.FieldEvent: "skip", authlog.FieldSource: path})
			if reason == "binary" || reason == "not a regular file" {
				entry.Debugf("%s: skipped, %s", path, reason)
				return
			}
			entry.Warnf("%s: skipped, %s", path, reason)
		},
	}
}

// collect runs src through the engine and drops baselined findings.
func (d *deps) collect(src source.Source) ([]scan.Finding, error) {
	found, err := d.engine.ScanAll(d.ctx, 0, func(yield func(scan.Fragment) error) error {
		return src.Fragments(d.ctx, yield)
	})
	var incomplete *source.IncompleteError
	switch {
	case errors.As(err, &incomplete):
		// Everything readable was scanned: report it, and fail after.
		return found, err
	case errors.Is(err, source.ErrNotFound):
		return nil, clikit.Errorf(clikit.ExitUsage, "check the path", "%w", err)
	case errors.Is(err, source.ErrTooLarge):
		return nil, clikit.Errorf(clikit.ExitUsage, "raise the limit with --max-size", "%w", err)
	case gitError(err) != nil:
		return nil, gitError(err)
	case err != nil:
		return nil, clikit.Errorf(clikit.ExitIncomplete, "", "scan incomplete: %w", err)
	}
	return found, nil
}

// scanAndReport is the whole of files, dir and stdin: scan, filter through
// the baseline, write the report, and turn findings into exit code 1.
func (d *deps) scanAndReport(src source.Source) error {
	bl, err := d.loadBaseline()
	if err != nil {
		return err
	}
	found, err := d.collect(src)
	var incomplete *source.IncompleteError
	if !errors.As(err, &incomplete) && err != nil {
		return err
	}
	if r, ok := src.(reducer); ok {
		found = r.Reduce(found) // history: each secret once, at its earliest commit
	}
	all := len(found)
	found = bl.Filter(found)
	if d.cli.Verify {
		newVerifier(d.log, d.cli.Timeout).verify(d.ctx, found)
	}
	if err := d.writeReport(found); err != nil {
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
	}).Info("scan complete")
	if len(found) == 0 {
		if incomplete != nil {
			return clikit.Errorf(clikit.ExitIncomplete, missingHint, "scan incomplete: %w", incomplete)
		}
		return nil
	}
	files := map[string]bool{}
	for _, f := range found {
		files[f.File] = true
	}
	msg := fmt.Sprintf("%s found in %s", plural(len(found), "secret"), plural(len(files), "file"))
	hint := "remove them and rotate them; for a false positive add a '# tokenguard:allow' comment or an allowlist, or accept existing ones with 'secretscan baseline'"
	if d.cli.Verify {
		live := 0
		for _, f := range found {
			if f.Verification == verifiedValid {
				live++
			}
		}
		if live > 0 {
			msg += fmt.Sprintf(", %d verified live", live)
			hint = "revoke the live ones first, at their provider, then remove them from the files"
		}
	}
	if incomplete != nil {
		// Findings decide the exit code; what was not read is still said.
		msg += fmt.Sprintf(", and the scan is incomplete: %v", incomplete)
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
// to --report.
func (d *deps) writeReport(found []scan.Finding) error {
	w, _ := report.Lookup(d.cli.Format)
	opts := report.Options{NoRedact: d.cli.NoRedact, Version: clikit.Version()}
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
