package retry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock stands in for real time: Sleep records the wait and returns at
// once (or ctx.Err() if ctx has ended), Now is fixed.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// fixedRand returns a Rand that always yields r.
func fixedRand(r float64) func() float64 {
	return func() float64 { return r }
}

// testPolicy is the default policy on a fake clock with a fixed Rand.
func testPolicy(c *fakeClock, r float64) Policy {
	return Policy{Sleep: c.Sleep, Now: c.Now, Rand: fixedRand(r)}
}

var errBoom = errors.New("boom")

func TestDefault(t *testing.T) {
	p := Default()
	if p.MaxAttempts != 6 || p.BaseDelay != time.Second || p.MaxDelay != 8*time.Second || p.MaxWait != 60*time.Second {
		t.Errorf("Default() = %+v, want 6 attempts, 1s base, 8s max delay, 60s max wait", p)
	}
	if p.Sleep == nil || p.Rand == nil || p.Now == nil {
		t.Error("Default() left Sleep, Rand or Now nil")
	}
	if p.OnRetry != nil {
		t.Error("Default() set OnRetry")
	}
}

func TestWithDefaultsKeepsSetFields(t *testing.T) {
	p := Policy{MaxAttempts: 2, BaseDelay: 3 * time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 7 * time.Millisecond}.withDefaults()
	if p.MaxAttempts != 2 || p.BaseDelay != 3*time.Millisecond || p.MaxDelay != 5*time.Millisecond || p.MaxWait != 7*time.Millisecond {
		t.Errorf("withDefaults changed set fields: %+v", p)
	}
	neg := Policy{MaxAttempts: -1, BaseDelay: -1, MaxDelay: -1, MaxWait: -1}.withDefaults()
	if neg.MaxAttempts != 6 || neg.BaseDelay != time.Second || neg.MaxDelay != 8*time.Second || neg.MaxWait != 60*time.Second {
		t.Errorf("negative fields should take defaults, got %+v", neg)
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	// Ceilings of the default policy: 1, 2, 4, 8 then capped at 8 seconds,
	// the waits of the official Hugging Face client.
	ceilings := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second}
	for i, ceiling := range ceilings {
		n := i + 1
		high := Policy{Rand: fixedRand(0.999)}.withDefaults().backoff(n)
		if high > ceiling || high < time.Duration(0.999*float64(ceiling)) {
			t.Errorf("retry %d with Rand=0.999: got %v, want just under %v", n, high, ceiling)
		}
		if low := (Policy{Rand: fixedRand(0)}).withDefaults().backoff(n); low != 0 {
			t.Errorf("retry %d with Rand=0: got %v, want 0", n, low)
		}
		if mid := (Policy{Rand: fixedRand(0.5)}).withDefaults().backoff(n); mid != ceiling/2 {
			t.Errorf("retry %d with Rand=0.5: got %v, want %v", n, mid, ceiling/2)
		}
	}
}

func TestBackoffCapAtMaxDelay(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		n    int
		want time.Duration // with Rand = 1, the ceiling itself
	}{
		{"doubling reaches the cap", Policy{BaseDelay: time.Second, MaxDelay: 3 * time.Second}, 3, 3 * time.Second},
		{"below the cap", Policy{BaseDelay: time.Second, MaxDelay: 3 * time.Second}, 2, 2 * time.Second},
		{"base above the cap", Policy{BaseDelay: time.Minute, MaxDelay: time.Second}, 1, time.Second},
		{"huge retry number", Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second}, 1000, 8 * time.Second},
		{"no overflow near MaxInt64", Policy{BaseDelay: time.Second, MaxDelay: math.MaxInt64}, 200, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Rand = fixedRand(1)
			if got := p.withDefaults().backoff(tt.n); got != tt.want {
				t.Errorf("backoff(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

func TestBackoffClampsBadRand(t *testing.T) {
	for _, r := range []float64{-1, math.NaN(), math.Inf(-1)} {
		if got := (Policy{Rand: fixedRand(r)}).withDefaults().backoff(1); got != 0 {
			t.Errorf("Rand=%v: got %v, want 0", r, got)
		}
	}
	for _, r := range []float64{2, math.Inf(1)} {
		if got := (Policy{Rand: fixedRand(r)}).withDefaults().backoff(1); got != time.Second {
			t.Errorf("Rand=%v: got %v, want 1s", r, got)
		}
	}
}

func TestDoSucceedsAfterFailures(t *testing.T) {
	clock := newFakeClock()
	calls := 0
	err := testPolicy(clock, 0.999).Do(context.Background(), func(context.Context) error {
		calls++
		if calls < 3 {
			return errBoom
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if calls != 3 {
		t.Errorf("op called %d times, want 3", calls)
	}
	sleeps := clock.Sleeps()
	if len(sleeps) != 2 {
		t.Fatalf("slept %v, want 2 waits", sleeps)
	}
	// Full jitter with Rand near 1: just under 1s, then just under 2s.
	if sleeps[0] > time.Second || sleeps[0] < 999*time.Millisecond ||
		sleeps[1] > 2*time.Second || sleeps[1] < 1998*time.Millisecond {
		t.Errorf("slept %v, want ≈[1s 2s]", sleeps)
	}
}

func TestDoMaxAttempts(t *testing.T) {
	tests := []struct {
		maxAttempts int
		wantCalls   int
		wantMsg     string
	}{
		{0, 6, "failed after 6 attempts: boom"},
		{1, 1, "failed after 1 attempt: boom"},
		{4, 4, "failed after 4 attempts: boom"},
	}
	for _, tt := range tests {
		clock := newFakeClock()
		p := testPolicy(clock, 0)
		p.MaxAttempts = tt.maxAttempts
		calls := 0
		err := p.Do(context.Background(), func(context.Context) error {
			calls++
			return errBoom
		})
		if calls != tt.wantCalls {
			t.Errorf("MaxAttempts=%d: op called %d times, want %d", tt.maxAttempts, calls, tt.wantCalls)
		}
		if got := len(clock.Sleeps()); got != tt.wantCalls-1 {
			t.Errorf("MaxAttempts=%d: slept %d times, want %d (no wait after the last attempt)", tt.maxAttempts, got, tt.wantCalls-1)
		}
		if !errors.Is(err, errBoom) {
			t.Errorf("MaxAttempts=%d: error %v does not wrap the op's error", tt.maxAttempts, err)
		}
		if err == nil || err.Error() != tt.wantMsg {
			t.Errorf("MaxAttempts=%d: error %q, want %q", tt.maxAttempts, err, tt.wantMsg)
		}
	}
}

func TestDoPermanentStops(t *testing.T) {
	clock := newFakeClock()
	calls := 0
	err := testPolicy(clock, 0).Do(context.Background(), func(context.Context) error {
		calls++
		return Permanent(errBoom)
	})
	if calls != 1 {
		t.Errorf("op called %d times, want 1", calls)
	}
	if len(clock.Sleeps()) != 0 {
		t.Errorf("slept %v, want no wait", clock.Sleeps())
	}
	if !errors.Is(err, errBoom) {
		t.Errorf("error %v does not wrap the op's error", err)
	}
	if err.Error() != "boom" {
		t.Errorf("error %q, want the op's message unchanged", err)
	}
}

func TestDoPermanentWrappedStops(t *testing.T) {
	// A Permanent error wrapped again by the op still stops the loop.
	calls := 0
	err := testPolicy(newFakeClock(), 0).Do(context.Background(), func(context.Context) error {
		calls++
		return fmt.Errorf("failed to fetch: %w", Permanent(errBoom))
	})
	if calls != 1 || !errors.Is(err, errBoom) {
		t.Errorf("calls=%d err=%v, want 1 call and boom", calls, err)
	}
}

func TestPermanentNil(t *testing.T) {
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) should be nil")
	}
}

func TestDoOnRetry(t *testing.T) {
	clock := newFakeClock()
	p := testPolicy(clock, 0.5)
	var got []Attempt
	p.OnRetry = func(a Attempt) { got = append(got, a) }
	unavailable := &StatusError{StatusCode: http.StatusServiceUnavailable}
	limited := &StatusError{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"7"}}}
	errs := []error{unavailable, errBoom, limited, nil}
	calls := 0
	err := p.Do(context.Background(), func(context.Context) error {
		calls++
		return errs[calls-1]
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	want := []Attempt{
		{Number: 1, Err: unavailable, StatusCode: 503, Delay: 500 * time.Millisecond},
		{Number: 2, Err: errBoom, StatusCode: 0, Delay: time.Second},
		{Number: 3, Err: limited, StatusCode: 429, Delay: 7 * time.Second}, // the server's wait wins
	}
	if len(got) != len(want) {
		t.Fatalf("OnRetry called %d times, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("OnRetry call %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	// OnRetry must report the wait that is actually slept.
	sleeps := clock.Sleeps()
	for i := range want {
		if sleeps[i] != want[i].Delay {
			t.Errorf("sleep %d = %v, OnRetry said %v", i+1, sleeps[i], want[i].Delay)
		}
	}
}

func TestDoNoOnRetryAfterLastAttempt(t *testing.T) {
	p := testPolicy(newFakeClock(), 0)
	p.MaxAttempts = 3
	var numbers []int
	p.OnRetry = func(a Attempt) { numbers = append(numbers, a.Number) }
	_ = p.Do(context.Background(), func(context.Context) error { return errBoom })
	if len(numbers) != 2 || numbers[0] != 1 || numbers[1] != 2 {
		t.Errorf("OnRetry numbers %v, want [1 2]", numbers)
	}
}

func TestDoServerWait(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want time.Duration
	}{
		{"Retry-After on 503", &StatusError{StatusCode: 503, Header: http.Header{"Retry-After": {"3"}}}, 3 * time.Second},
		{"Retry-After capped at MaxWait", &StatusError{StatusCode: 429, Header: http.Header{"Retry-After": {"3600"}}}, 60 * time.Second},
		{"RateLimit reset on 429", &StatusError{StatusCode: 429, Header: http.Header{"Ratelimit": {`"api";r=0;t=27`}}}, 27 * time.Second},
		// On other statuses RateLimit is only quota information: jittered backoff (0 with Rand=0).
		{"RateLimit ignored on 503", &StatusError{StatusCode: 503, Header: http.Header{"Ratelimit": {`"api";r=0;t=27`}}}, 0},
		{"Retry-After 0 means now", &StatusError{StatusCode: 503, Header: http.Header{"Retry-After": {"0"}}}, 0},
		{"unparsable Retry-After falls back", &StatusError{StatusCode: 503, Header: http.Header{"Retry-After": {"soon"}}}, 0},
		{"wrapped StatusError", fmt.Errorf("upload: %w", &StatusError{StatusCode: 503, Header: http.Header{"Retry-After": {"5"}}}), 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			p := testPolicy(clock, 0)
			p.MaxAttempts = 2
			_ = p.Do(context.Background(), func(context.Context) error { return tt.err })
			sleeps := clock.Sleeps()
			if len(sleeps) != 1 || sleeps[0] != tt.want {
				t.Errorf("slept %v, want [%v]", sleeps, tt.want)
			}
		})
	}
}

func TestDoCanceledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := testPolicy(newFakeClock(), 0).Do(ctx, func(context.Context) error {
		calls++
		return nil
	})
	if calls != 0 {
		t.Errorf("op called %d times on a cancelled ctx, want 0", calls)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
}

func TestDoCancelDuringWaitReturnsPromptly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The real Sleep (nil) with an hour-long wait: only cancellation can end it.
	p := Policy{BaseDelay: time.Hour, MaxDelay: time.Hour, Rand: fixedRand(0.999)}
	p.OnRetry = func(Attempt) { go cancel() }
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- p.Do(ctx, func(context.Context) error {
			calls++
			return errBoom
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v does not wrap context.Canceled", err)
		}
		if !strings.Contains(err.Error(), "boom") {
			t.Errorf("error %q should mention the last failure", err)
		}
		if calls != 1 {
			t.Errorf("op called %d times, want 1", calls)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Do did not return after ctx was cancelled during the wait")
	}
}

func TestDoCancelDuringOp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := newFakeClock()
	calls := 0
	err := testPolicy(clock, 0).Do(ctx, func(ctx context.Context) error {
		calls++
		cancel()
		return fmt.Errorf("Get http://x: %w", ctx.Err())
	})
	if calls != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("calls=%d sleeps=%v, want 1 call and no wait", calls, clock.Sleeps())
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	// The op's own error already says what was cancelled: keep it as is.
	if err.Error() != "Get http://x: context canceled" {
		t.Errorf("error %q, want the op's error", err)
	}
}

func TestDoCancelOpErrorUnrelated(t *testing.T) {
	// ctx ends while op fails for another reason: still stop, and wrap ctx.Err().
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := testPolicy(newFakeClock(), 0).Do(ctx, func(context.Context) error {
		cancel()
		return errBoom
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want context.Canceled mentioning boom", err)
	}
}

func TestDoSleepError(t *testing.T) {
	errClock := errors.New("clock broke")
	p := Policy{Rand: fixedRand(0), Sleep: func(context.Context, time.Duration) error { return errClock }}
	calls := 0
	err := p.Do(context.Background(), func(context.Context) error {
		calls++
		return errBoom
	})
	if calls != 1 || !errors.Is(err, errClock) {
		t.Errorf("calls=%d err=%v, want 1 call and the Sleep error", calls, err)
	}
}

func TestSleep(t *testing.T) {
	if err := sleep(context.Background(), 0); err != nil {
		t.Errorf("sleep(0) = %v, want nil", err)
	}
	if err := sleep(context.Background(), -time.Second); err != nil {
		t.Errorf("sleep(-1s) = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// An hour is past go test's own time limit: returning at all proves
	// sleep did not wait.
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a cancelled ctx = %v, want context.Canceled", err)
	}
	if err := sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep(0) on a cancelled ctx = %v, want context.Canceled", err)
	}
}
