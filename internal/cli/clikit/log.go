package clikit

import (
	"io"
	"os"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/authlog"
)

// auditHint is the next step when the audit log cannot be written.
const auditHint = "set XDG_STATE_HOME to a writable directory, pass --audit-log PATH, or --no-audit-log to silence this"

// OpenLog opens the logger of one run: console lines on stderr and the JSON
// audit log at auditLog, else at the default path
// ($XDG_STATE_HOME/tokenguard/audit.log), or none with noAuditLog.
//
// The audit log is a side channel and never stops the work: when it cannot
// be placed or opened, OpenLog warns once ("audit log disabled: …") and
// the run goes on without it; close (safe to call twice) warns once if a
// write failed later.
func OpenLog(tool string, stderr io.Writer, auditLog string, noAuditLog, verbose bool) (log *logrus.Logger, close func()) {
	opts := authlog.Options{Tool: tool, Stderr: stderr, Verbose: verbose}
	var why error
	switch {
	case noAuditLog:
	case auditLog != "":
		opts.AuditPath = auditLog
	default:
		opts.AuditPath, why = authlog.DefaultAuditPath(os.Getenv)
	}
	if why == nil {
		var closeLog func() error
		if log, closeLog, why = authlog.New(opts); why == nil {
			return log, sync.OnceFunc(func() {
				if err := closeLog(); err != nil {
					log.WithField(authlog.FieldHint, auditHint).Warnf("audit log incomplete: %v", err)
				}
			})
		}
	}
	opts.AuditPath = ""
	log, _, _ = authlog.New(opts) // without a file nothing can fail
	log.WithField(authlog.FieldHint, auditHint).Warnf("audit log disabled: %v", why)
	return log, func() {}
}
