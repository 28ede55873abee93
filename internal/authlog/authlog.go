// Package authlog sets up the logrus logger every tokenguard binary uses: short
// human lines on stderr in the project's one voice, an append-only JSON audit
// file, and redaction of every message and field before either sees it.
package authlog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"
)

// Field names every entry uses, so that the audit file can be queried the same
// way whichever binary wrote it.
const (
	FieldEvent       = "event"       // what happened: "validate", "scan", "upload", …
	FieldProvider    = "provider"    // credential provider: "hf", "github", …
	FieldSource      = "source"      // where a credential came from: "env:HF_TOKEN", a file path
	FieldStatus      = "status"      // outcome: "valid", "invalid", "expired", …
	FieldFingerprint = "fingerprint" // redact.Fingerprint of the credential
	FieldMasked      = "masked"      // redact.Mask of the credential
	FieldHint        = "hint"        // the next step for the user; printed on its own console line
)

// Options configure a logger for one binary run.
type Options struct {
	Tool      string    // binary name, the console prefix: "tokencheck"; "" means os.Args[0]'s base name
	Stderr    io.Writer // console destination; nil discards console lines
	AuditPath string    // JSON audit log file; "" means no audit file
	Verbose   bool      // console shows info and debug too (default console shows warning and above)
}

// New returns a logger whose console lines go to Stderr in the project's one
// voice and whose entries (info and above) are appended as JSON lines to
// AuditPath. close flushes and closes the audit file (nothing waits in a
// buffer: each entry is one write); it is safe to call more than once, and it
// reports the first failed audit write, since a failed write does not stop
// the run or its console output.
//
// logrus has a single Out and a single level, but the console and the audit
// file need different formats and thresholds. So the logger itself writes
// nothing (Out is io.Discard, with a formatter that does no work) and three
// hooks do the job, in this order:
//
//  1. redaction, for every level, so that the hooks after it (and any a
//     caller or test adds later) only ever see masked values;
//  2. the console, at warning and above, or debug and above when Verbose;
//  3. the audit file, at info and above.
//
// The logger's level is the lowest either hook wants, so that
// log.IsLevelEnabled(logrus.DebugLevel) stays an honest guard for callers.
func New(opts Options) (log *logrus.Logger, close func() error, err error) {
	tool := opts.Tool
	if tool == "" {
		tool = filepath.Base(os.Args[0])
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	consoleLevel := logrus.WarnLevel
	if opts.Verbose {
		consoleLevel = logrus.DebugLevel
	}

	log = logrus.New()
	log.Out = io.Discard
	log.Formatter = discardFormatter{}
	log.Level = consoleLevel
	log.AddHook(redactHook{})
	log.AddHook(&consoleHook{tool: tool, w: stderr, levels: upTo(consoleLevel)})

	close = func() error { return nil }
	if opts.AuditPath != "" {
		var fh *fileHook
		fh, err = openAudit(opts.AuditPath)
		if err != nil {
			return nil, nil, err
		}
		log.AddHook(fh)
		close = fh.close
		if log.Level < logrus.InfoLevel {
			log.Level = logrus.InfoLevel
		}
	}
	return log, close, nil
}

// upTo lists the levels at least as severe as least; logrus orders levels
// from panic (0) to trace (6).
func upTo(least logrus.Level) []logrus.Level {
	var levels []logrus.Level
	for _, l := range logrus.AllLevels {
		if l <= least {
			levels = append(levels, l)
		}
	}
	return levels
}

// discardFormatter spares the logger formatting entries that its own Out
// (io.Discard) would throw away; the hooks format for themselves.
type discardFormatter struct{}

func (discardFormatter) Format(*logrus.Entry) ([]byte, error) { return nil, nil }

// openAudit opens the audit file for appending, creating it 0600 and its
// directory 0700 when missing. Its errors read "cannot create PATH: why".
func openAudit(path string) (*fileHook, error) {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create %s: %w", dir, pathReason(err, dir))
		}
		// MkdirAll's mode is filtered by the umask; ours is not up to it.
		// An existing directory is the user's choice and left alone.
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot restrict %s to its owner: %w", dir, pathReason(err, dir))
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", path, pathReason(err, path))
	}
	return &fileHook{
		f:      f,
		path:   path,
		format: logrus.JSONFormatter{TimestampFormat: auditTimeFormat},
	}, nil
}

// pathReason is why an *fs.PathError on named failed ("permission
// denied"), with the path only when it is another one (MkdirAll fails on a
// parent).
func pathReason(err error, named string) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	if pe.Path == named {
		return pe.Err
	}
	return fmt.Errorf("%s %s: %w", pe.Op, pe.Path, pe.Err)
}
