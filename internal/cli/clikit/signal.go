package clikit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// Interrupted is the cause of a run's context when SIGINT or SIGTERM
// stopped it: context.Cause tells it apart from a timeout
// (context.DeadlineExceeded) and from a network failure.
type Interrupted struct{ Signal syscall.Signal }

func (e *Interrupted) Error() string { return "interrupted" }

// ExitCode is 128 plus the signal's number, what shells report for a
// process the signal killed: 130 for SIGINT, 143 for SIGTERM.
func (e *Interrupted) ExitCode() int { return 128 + int(e.Signal) }

// InterruptHelp is the sentence every --help adds to the exit codes.
const InterruptHelp = `Ctrl-C (SIGINT) or SIGTERM stops the run within a second with "interrupted" and exit code 130 or 143, as shells report it.`

// Grace is how long a run has to wind down after a signal. A run still
// busy then (a read from a pipe that never ends, say) is abandoned: the
// process exits anyway.
const Grace = 500 * time.Millisecond

// SignalContext returns a context cancelled with cause *Interrupted on the
// first SIGINT or SIGTERM. After that first signal the default action is
// back, so a second Ctrl-C kills the process at once. stop releases the
// signals.
func SignalContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			sig, _ := s.(syscall.Signal)
			cancel(&Interrupted{Signal: sig})
		case <-done:
		}
	}()
	release := sync.OnceFunc(func() { signal.Stop(ch); close(done) })
	return ctx, func() { release(); cancel(nil) }
}

// InterruptedBy returns the signal that stopped ctx, or nil.
func InterruptedBy(ctx context.Context) *Interrupted {
	var in *Interrupted
	if errors.As(context.Cause(ctx), &in) {
		return in
	}
	return nil
}

// interruptedError is what a run returns when it stopped for a signal and
// has more to say than "interrupted" (what was left undone, how to resume).
type interruptedError struct {
	detail string
	hint   string
}

func (e *interruptedError) Error() string { return "interrupted: " + e.detail }

// Interruptedf is the error of a run that stopped for a signal, printed as
// "interrupted: <detail>" followed by the hint.
func Interruptedf(hint, format string, args ...any) error {
	return &interruptedError{detail: fmt.Sprintf(format, args...), hint: hint}
}

// Run calls fn with a context that SIGINT and SIGTERM cancel (see
// SignalContext), and returns the exit code. Without a signal it is
// Report's. Once a signal has arrived, whatever fn returns, the run did not
// finish: the message is "interrupted" (or fn's Interruptedf) and the code
// 130 or 143. fn gets Grace to return after the signal, then is abandoned.
func Run(name string, stderr io.Writer, fn func(ctx context.Context) error) int {
	ctx, stop := SignalContext(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		select {
		case err = <-done:
		case <-time.After(Grace):
		}
	}
	return finish(name, stderr, ctx, err)
}

// finish reports err, or the interruption when ctx was stopped by a signal.
func finish(name string, stderr io.Writer, ctx context.Context, err error) int {
	in := InterruptedBy(ctx)
	if in == nil {
		return Report(name, stderr, err)
	}
	var ie *interruptedError
	if errors.As(err, &ie) {
		exitcode.Say(stderr, name, "error", ie.Error())
		if ie.hint != "" {
			exitcode.Say(stderr, name, "hint", ie.hint)
		}
	} else {
		exitcode.Say(stderr, name, "error", in.Error())
	}
	return in.ExitCode()
}
