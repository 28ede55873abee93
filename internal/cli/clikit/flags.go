package clikit

import (
	"io"
	"time"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"
)

// VersionFlag is --version, which every binary has.
type VersionFlag struct {
	Version kong.VersionFlag `help:"Print the version and exit."`
}

// Common is the flags shared by the binaries that keep an audit log and
// talk to services (all but tokenage); embed it with `embed:""`. What -v
// adds and what --timeout bounds differ per tool: Parse's caller gives
// them as kong.Vars verbose_help, timeout_help and timeout_default.
type Common struct {
	AuditLog    string        `name:"audit-log" env:"TOKENGUARD_AUDIT_LOG" placeholder:"PATH" help:"Append JSON audit entries to PATH (default: audit.log in $$XDG_STATE_HOME/tokenguard, else in ~/.local/state/tokenguard)."`
	NoAuditLog  bool          `name:"no-audit-log" help:"Write no audit log."`
	Verbose     bool          `short:"v" help:"${verbose_help}"`
	Timeout     time.Duration `default:"${timeout_default}" env:"TOKENGUARD_TIMEOUT" help:"${timeout_help}"`
	VersionFlag `embed:""`
}

// OpenLog opens the logger of one run as these flags ask (see the
// function OpenLog).
func (c *Common) OpenLog(tool string, stderr io.Writer) (*logrus.Logger, func()) {
	return OpenLog(tool, stderr, c.AuditLog, c.NoAuditLog, c.Verbose)
}

// Stdio is the standard streams of one run, bound by type for the Run
// methods that read or print.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}
