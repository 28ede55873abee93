// Package exitcode holds what every tokenguard binary means by its exit code,
// the error that carries one, and the one voice errors are printed in. It
// links no command-line parser, so tokenage's shell front can share it with
// the kong binaries (see clikit).
package exitcode

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tokenguard/tokenguard/internal/redact"
)

// Exit codes, the same for every binary.
const (
	OK         = 0 // all good
	Policy     = 1 // secrets found, a credential invalid, missing, expired, lacking a role, or too old
	Usage      = 2 // bad flag, argument or configuration
	Incomplete = 3 // could not complete: network still failing after retries, I/O error
)

// Error is an error with the exit code it causes and the next step for the user.
type Error struct {
	Code int
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ExitCode is the process exit code the error causes.
func (e *Error) ExitCode() int { return e.Code }

// Errorf builds an Error.
func Errorf(code int, hint, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Silent is an exit code whose explanation was already printed (a report).
type Silent int

func (s Silent) Error() string { return fmt.Sprintf("exit %d", int(s)) }

// ExitCode is the process exit code.
func (s Silent) ExitCode() int { return int(s) }

// Report prints err in the one voice and returns the exit code it causes.
// Errors without a code are "could not complete" (3).
func Report(name string, stderr io.Writer, err error) int {
	if err == nil {
		return OK
	}
	var silent Silent
	if errors.As(err, &silent) {
		return int(silent)
	}
	Say(stderr, name, "error", err.Error())
	var e *Error
	if errors.As(err, &e) {
		if e.Hint != "" {
			Say(stderr, name, "hint", e.Hint)
		}
		return e.Code
	}
	return Incomplete
}

// Say prints one line per line of msg, each prefixed "name: kind: ", with
// anything token-shaped masked as a last line of defence.
func Say(w io.Writer, name, kind, msg string) {
	for line := range strings.SplitSeq(strings.TrimRight(redact.String(msg), "\n"), "\n") {
		fmt.Fprintf(w, "%s: %s: %s\n", name, kind, line)
	}
}
