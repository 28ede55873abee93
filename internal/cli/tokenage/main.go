// Package tokenage is tokenage: token-age warnings for the login shell
// (warn, init), and the ledger commands behind them for people and CI
// (status, check, rotated, forget, rotate). It links neither kong nor any
// network code, so that the shell fast path starts nearly as fast as an
// empty program (issue 18); the kong command line over these commands is
// tokenage-cli (package kongcli), to which Main hands everything but the
// shell's own invocations of warn and init.
package tokenage

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/config/tokenagecfg"
	"github.com/tokenguard/tokenguard/internal/credential/lite"
	"github.com/tokenguard/tokenguard/internal/ledger"
	"github.com/tokenguard/tokenguard/internal/statedir"
)

const name = "tokenage"

// Books is the ledger and what judging ages needs: bound for the commands
// that read or write the ledger.
type Books struct {
	getenv     func(string) string
	env        lite.Env
	readers    Readers
	now        func() time.Time
	ledgerPath string
	stateErr   error // no state directory could be found
	lockWait   time.Duration
	exit       func(code int) // ends the process (warn's time limit)
}

// Readers read the credential and configuration files. tokenage's own
// (Small) link no TOML or URL library and decline what they do not read
// exactly as the full ones would; tokenage then hands the command to
// tokenage-cli, which reads with the full ones.
type Readers struct {
	Credentials lite.Readers
	// Tokenage reads the [tokenage] table of a configuration file.
	Tokenage func(path string) (tokenagecfg.Tokenage, error)
}

// Small are tokenage's readers.
var Small = Readers{Credentials: lite.Small, Tokenage: func(path string) (tokenagecfg.Tokenage, error) {
	return tokenagecfg.Read(path, name)
}}

// errDeclined means a small reader declined a file: the command must run
// in tokenage-cli.
var errDeclined = errors.New("a file the fast path does not read: run tokenage-cli")

// NewBooks is the ledger of this environment, read with r.
func NewBooks(r Readers) *Books {
	b := &Books{getenv: os.Getenv, env: lite.OSEnv(), readers: r, now: clock.Now, lockWait: 2 * time.Second, exit: os.Exit}
	if dir, err := statedir.Dir(os.Getenv); err != nil {
		b.stateErr = err
	} else {
		b.ledgerPath = filepath.Join(dir, ledger.FileName)
	}
	return b
}

// setupErr is the first problem with the environment, as a usage or I/O error.
func (b *Books) setupErr() error {
	if b.stateErr != nil {
		return exitcode.Errorf(exitcode.Incomplete, "set XDG_STATE_HOME or HOME", "%w", b.stateErr)
	}
	return nil
}

// Main runs tokenage with args and returns the exit code: the shell's
// invocations of warn and init here, anything else (other commands, help,
// completion, a flag the fast parsers do not read) by tokenage-cli, which
// replaces the process (see delegate): tests of those commands call
// kongcli.Main instead.
func Main(args []string, stdout, stderr io.Writer) int {
	run, ok := fastPath(args)
	if !ok || os.Getenv("COMP_LINE") != "" {
		return delegate(args, stderr)
	}
	err := run(Stdio{Out: stdout, Err: stderr})
	if errors.Is(err, errDeclined) {
		return delegate(args, stderr)
	}
	return exitcode.Report(name, stderr, err)
}

// Stdio is where a command writes.
type Stdio struct{ Out, Err io.Writer }
