// Package retry is the one retry policy for every network call of tokenguard:
// exponential backoff with full jitter, capped attempts, and server-requested
// waits (Retry-After, RateLimit) honoured up to a limit.
//
// The loop is written here rather than on top of github.com/cenkalti/backoff/v5
// because that package fits badly: its jitter is ±50% around the interval, not
// full jitter; its timer option is unexported, so tests could not inject a fake
// sleep; and it measures elapsed time with the real clock. The loop itself is a
// dozen lines, so owning it costs less than working around those.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy is exponential backoff with full jitter: the wait before retry n
// (n = 1, 2, …) is a random duration in [0, min(MaxDelay, BaseDelay·2^(n-1))],
// except that a wait requested by the server (Retry-After, or the RateLimit
// reset on a 429) wins, capped at MaxWait.
//
// The zero value is usable and behaves like Default(). Zero or negative fields take
// their defaults.
type Policy struct {
	MaxAttempts int           // total attempts including the first; 0 means 6 (1 + 5 retries, like huggingface_hub)
	BaseDelay   time.Duration // 0 means 1s
	MaxDelay    time.Duration // 0 means 8s
	MaxWait     time.Duration // cap for server-requested waits (Retry-After); 0 means 60s
	OnRetry     func(Attempt) // called before each wait, for logging; may be nil

	// Sleep waits for d or until ctx ends. nil means a real timer that
	// returns ctx.Err() early on cancel. Tests replace it with a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1). nil means math/rand/v2 Float64.
	Rand func() float64
	// Now is the current time, used to turn a Retry-After HTTP-date into a
	// wait. nil means time.Now.
	Now func() time.Time
}

// Attempt describes a failed attempt, passed to Policy.OnRetry.
type Attempt struct {
	Number     int           // the attempt that just failed, from 1
	Err        error         // why it failed
	StatusCode int           // HTTP status when the failure was an HTTP response, else 0
	Delay      time.Duration // how long we wait before the next attempt
}

// Defaults, matching the reference policy of the official Hugging Face client:
// waits of up to 1, 2, 4, 8, 8 seconds over 5 retries.
const (
	defaultMaxAttempts = 6
	defaultBaseDelay   = time.Second
	defaultMaxDelay    = 8 * time.Second
	defaultMaxWait     = 60 * time.Second
)

// Default returns the project's standard policy with every field filled in.
func Default() Policy {
	return Policy{}.withDefaults()
}

// withDefaults returns p with every unset field replaced by its default, so
// the loop never has to check for zero values.
func (p Policy) withDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = defaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = defaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = defaultMaxDelay
	}
	if p.MaxWait <= 0 {
		p.MaxWait = defaultMaxWait
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// Do runs op until it succeeds, returns a permanent error, attempts run out
// or ctx ends.
//
// Every error from op is retried unless it is marked with Permanent: op knows
// best what its failures mean. Wrap with Permanent(err) when !Retryable(err)
// to get the same classification as DoHTTP.
//
// The error returned when attempts run out says how many were made and wraps
// the last error of op. When ctx ends, the error wraps ctx.Err().
func (p Policy) Do(ctx context.Context, op func(ctx context.Context) error) error {
	p = p.withDefaults()
	var last error
	for n := 1; ; n++ {
		// Check before each attempt so a cancelled caller never starts new work.
		if ctx.Err() != nil {
			return stopped(ctx, n-1, last)
		}
		err := op(ctx)
		if err == nil {
			return nil
		}
		last = err
		if isPermanent(err) {
			return err
		}
		// A failure caused by the caller's own ctx is not worth a retry.
		if ctx.Err() != nil {
			return stopped(ctx, n, last)
		}
		if n >= p.MaxAttempts {
			return fmt.Errorf("failed after %s: %w", attempts(n), err)
		}

		a := Attempt{Number: n, Err: err, Delay: p.delay(n, err)}
		var se *StatusError
		if errors.As(err, &se) {
			a.StatusCode = se.StatusCode
		}
		if p.OnRetry != nil {
			p.OnRetry(a)
		}
		if err := p.Sleep(ctx, a.Delay); err != nil {
			if ctx.Err() != nil {
				return stopped(ctx, n, last)
			}
			return fmt.Errorf("failed to wait before retry %d: %w (last error: %v)", n, err, last)
		}
	}
}

// stopped builds the error for a ctx that ended after n attempts. It wraps
// ctx.Err() so callers can tell cancellation from failure with errors.Is.
func stopped(ctx context.Context, n int, last error) error {
	cerr := ctx.Err()
	if last == nil {
		return fmt.Errorf("stopped before the first attempt: %w", cerr)
	}
	// The transport usually reports the cancellation itself, with the URL.
	if errors.Is(last, cerr) {
		return last
	}
	return fmt.Errorf("stopped after %s: %w (last error: %v)", attempts(n), cerr, last)
}

// attempts formats a count of attempts for error messages.
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// delay is the wait after failed attempt n: the server's request when it gave
// one, else the jittered backoff.
func (p Policy) delay(n int, err error) time.Duration {
	if d, ok := serverWait(err, p.Now()); ok {
		return min(d, p.MaxWait)
	}
	return p.backoff(n)
}

// backoff is the full-jitter wait before retry n: uniform in
// [0, min(MaxDelay, BaseDelay·2^(n-1))]. Full jitter spreads clients that
// failed together (say, behind one rate limit) instead of having them retry
// in lockstep.
func (p Policy) backoff(n int) time.Duration {
	ceiling := p.BaseDelay
	for i := 1; i < n && ceiling < p.MaxDelay; i++ {
		if ceiling > p.MaxDelay/2 {
			// Doubling would pass the cap (and could overflow).
			ceiling = p.MaxDelay
			break
		}
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxDelay)

	r := p.Rand()
	// An injected Rand may stray outside [0, 1); never wait negative or past the cap.
	if !(r > 0) { // also catches NaN
		r = 0
	}
	d := r * float64(ceiling)
	// float64 rounding can reach 2^63 near MaxInt64, which would overflow.
	if d >= float64(ceiling) {
		return ceiling
	}
	return time.Duration(d)
}

// sleep is the real Sleep: it waits for d, or returns ctx.Err() as soon as
// ctx ends so a cancelled command exits at once instead of after the wait.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
