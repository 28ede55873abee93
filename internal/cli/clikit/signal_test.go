package clikit

import (
	"bytes"
	"context"
	"errors"
	"syscall"
	"testing"
	"time"
)

// raise sends sig to this test process, which SignalContext has claimed.
func raise(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

func TestSignalContextCause(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		ctx, stop := SignalContext(context.Background())
		raise(t, tc.sig)
		<-ctx.Done()
		in := InterruptedBy(ctx)
		if in == nil || in.Signal != tc.sig || in.ExitCode() != tc.code {
			t.Errorf("%v: cause %v, want *Interrupted with exit code %d", tc.sig, context.Cause(ctx), tc.code)
		}
		if !errors.Is(ctx.Err(), context.Canceled) {
			t.Errorf("%v: ctx.Err() = %v", tc.sig, ctx.Err())
		}
		stop()
	}
}

func TestInterruptedByIgnoresTimeoutAndStop(t *testing.T) {
	ctx, stop := SignalContext(context.Background())
	tctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-tctx.Done()
	if in := InterruptedBy(tctx); in != nil {
		t.Errorf("a timeout reads as %v", in)
	}
	stop()
	if in := InterruptedBy(ctx); in != nil {
		t.Errorf("stop reads as %v", in)
	}
}

func TestRunWithoutSignalIsReport(t *testing.T) {
	var errOut bytes.Buffer
	code := Run("tool", &errOut, func(ctx context.Context) error {
		return Errorf(ExitPolicy, "fix it", "bad thing")
	})
	if code != ExitPolicy || errOut.String() != "tool: error: bad thing\ntool: hint: fix it\n" {
		t.Errorf("code %d stderr %q", code, errOut.String())
	}
}

func TestRunInterruptedOverridesTheError(t *testing.T) {
	var errOut bytes.Buffer
	code := Run("tool", &errOut, func(ctx context.Context) error {
		raise(t, syscall.SIGINT)
		<-ctx.Done()
		// What a network call cancelled mid-way returns.
		return Errorf(ExitIncomplete, "check the network", "could not reach the service: %v", ctx.Err())
	})
	if code != 130 || errOut.String() != "tool: error: interrupted\n" {
		t.Errorf("code %d stderr %q, want 130 and only \"interrupted\"", code, errOut.String())
	}
}

func TestRunInterruptedWithDetail(t *testing.T) {
	var errOut bytes.Buffer
	code := Run("tool", &errOut, func(ctx context.Context) error {
		raise(t, syscall.SIGTERM)
		<-ctx.Done()
		return Interruptedf("run it again", "nothing was sent")
	})
	want := "tool: error: interrupted: nothing was sent\ntool: hint: run it again\n"
	if code != 143 || errOut.String() != want {
		t.Errorf("code %d stderr %q, want 143 and %q", code, errOut.String(), want)
	}
}

func TestRunAbandonsARunThatIgnoresTheSignal(t *testing.T) {
	var errOut bytes.Buffer
	block := make(chan struct{})
	defer close(block)
	code := Run("tool", &errOut, func(ctx context.Context) error {
		raise(t, syscall.SIGINT)
		<-block // a read that never returns
		return nil
	})
	if code != 130 || errOut.String() != "tool: error: interrupted\n" {
		t.Errorf("code %d stderr %q", code, errOut.String())
	}
}
