package clikit

import (
	"io"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/authlog"
)

// OpenLog opens the logger of one run: console lines on stderr and the JSON
// audit log at auditLog, else at the default path
// ($XDG_STATE_HOME/tokenguard/audit.log), or none with noAuditLog.
func OpenLog(tool string, stderr io.Writer, auditLog string, noAuditLog, verbose bool) (*logrus.Logger, func() error, error) {
	path := auditLog
	switch {
	case noAuditLog:
		path = ""
	case path == "":
		p, err := authlog.DefaultAuditPath(os.Getenv)
		if err != nil {
			return nil, nil, Errorf(ExitIncomplete, "set XDG_STATE_HOME or pass --no-audit-log", "cannot place the audit log: %w", err)
		}
		path = p
	}
	log, closeLog, err := authlog.New(authlog.Options{Tool: tool, Stderr: stderr, AuditPath: path, Verbose: verbose})
	if err != nil {
		return nil, nil, Errorf(ExitIncomplete, "pass --audit-log PATH to a writable file, or --no-audit-log", "%w", err)
	}
	return log, closeLog, nil
}
