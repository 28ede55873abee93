package tokenage

import (
	"fmt"
	"io"
)

// Exit codes, the same as every tokenguard binary's (see clikit): this
// package links no kong, so it cannot use clikit's.
const (
	ExitOK         = 0
	ExitPolicy     = 1
	ExitUsage      = 2
	ExitIncomplete = 3
)

// Stdio is where a command writes.
type Stdio struct{ Out, Err io.Writer }

// Error is an error with the exit code it causes and the next step for the
// user; the kong command line turns it into a clikit.Error.
type Error struct {
	Code int
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ExitCode is the process exit code the error causes.
func (e *Error) ExitCode() int { return e.Code }

func errorf(code int, hint, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Silent is an exit code whose explanation was already printed.
type Silent int

func (s Silent) Error() string { return fmt.Sprintf("exit %d", int(s)) }
