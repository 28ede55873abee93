package retry

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		wantOK bool
	}{
		{"none", http.Header{}, 0, false},
		{"nil header", nil, 0, false},
		{"seconds", http.Header{"Retry-After": {"3"}}, 3 * time.Second, true},
		{"zero seconds", http.Header{"Retry-After": {"0"}}, 0, true},
		{"spaces around", http.Header{"Retry-After": {"  120 "}}, 2 * time.Minute, true},
		{"HTTP-date", http.Header{"Retry-After": {date(90 * time.Second)}}, 90 * time.Second, true},
		{"RFC 850 date", http.Header{"Retry-After": {now.Add(time.Minute).Format(time.RFC850)}}, time.Minute, true},
		{"ANSI C date", http.Header{"Retry-After": {now.Add(time.Minute).Format(time.ANSIC)}}, time.Minute, true},
		{"date in the past", http.Header{"Retry-After": {date(-time.Hour)}}, 0, true},
		{"huge seconds saturate", http.Header{"Retry-After": {"99999999999999999999999"}}, time.Duration(math.MaxInt64), true},
		{"negative", http.Header{"Retry-After": {"-5"}}, 0, false},
		{"fraction", http.Header{"Retry-After": {"1.5"}}, 0, false},
		{"garbage", http.Header{"Retry-After": {"later"}}, 0, false},
		{"empty", http.Header{"Retry-After": {""}}, 0, false},

		{"IETF RateLimit", http.Header{"Ratelimit": {`"api";r=0;t=27`}}, 27 * time.Second, true},
		{"IETF RateLimit spaced", http.Header{"Ratelimit": {`"api"; r=0; t=27`}}, 27 * time.Second, true},
		{"IETF RateLimit token name", http.Header{"Ratelimit": {`default;r=0;t=5`}}, 5 * time.Second, true},
		{"several policies: the exhausted one", http.Header{"Ratelimit": {`"burst";r=10;t=60, "api";r=0;t=27`}}, 27 * time.Second, true},
		{"several exhausted: the longest", http.Header{"Ratelimit": {`"a";r=0;t=5, "b";r=0;t=40`}}, 40 * time.Second, true},
		{"none exhausted: the longest", http.Header{"Ratelimit": {`"a";r=3;t=5, "b";r=1;t=9`}}, 9 * time.Second, true},
		{"quoted comma in name", http.Header{"Ratelimit": {`"a,b;c";r=0;t=8`}}, 8 * time.Second, true},
		{"older dictionary form", http.Header{"Ratelimit": {`limit=100, remaining=0, reset=27`}}, 27 * time.Second, true},
		{"RateLimit without reset", http.Header{"Ratelimit": {`"api";r=0`}}, 0, false},
		{"RateLimit bad reset", http.Header{"Ratelimit": {`"api";r=0;t=soon`}}, 0, false},
		{"RateLimit-Reset", http.Header{"Ratelimit-Reset": {"27"}}, 27 * time.Second, true},
		{"RateLimit-Reset garbage", http.Header{"Ratelimit-Reset": {"x"}}, 0, false},
		{"bad RateLimit falls back to RateLimit-Reset", http.Header{"Ratelimit": {`"api";r=0`}, "Ratelimit-Reset": {"4"}}, 4 * time.Second, true},
		{"Retry-After wins over RateLimit", http.Header{"Retry-After": {"2"}, "Ratelimit": {`"api";r=0;t=27`}}, 2 * time.Second, true},
		{"bad Retry-After falls back to RateLimit", http.Header{"Retry-After": {"x"}, "Ratelimit": {`"api";r=0;t=27`}}, 27 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := RetryAfter(tt.header, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RetryAfter(%v) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("3", "", "")
	f.Add("Sun, 01 Jun 2025 12:01:00 GMT", "", "")
	f.Add("", `"api";r=0;t=27`, "")
	f.Add("", `"a\";b";r=0;t=1, b;t=2`, "")
	f.Add("", `limit=100, remaining=0, reset=27`, "27")
	f.Add("-1", "t=", "99999999999999999999")
	f.Add("Mon, 01 Jan 0001 00:00:00 GMT", `"`, `\`)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, retryAfter, rateLimit, rateLimitReset string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("RateLimit", rateLimit)
		h.Set("RateLimit-Reset", rateLimitReset)
		d, ok := RetryAfter(h, now)
		if d < 0 {
			t.Fatalf("RetryAfter(%q, %q, %q) = %v, negative", retryAfter, rateLimit, rateLimitReset, d)
		}
		if !ok && d != 0 {
			t.Fatalf("RetryAfter(%q, %q, %q) = %v, false; want 0 when not ok", retryAfter, rateLimit, rateLimitReset, d)
		}
		// Whatever the server says, Do caps it.
		if capped := min(d, Default().MaxWait); capped < 0 || capped > time.Minute {
			t.Fatalf("capped wait %v out of range", capped)
		}
		// A Retry-After that RFC 9110 accepts wins, read as the reference
		// readers read it: delay-seconds (1*DIGIT) by strconv, an HTTP-date
		// by net/http.
		v := strings.TrimSpace(retryAfter)
		want, wantOK := time.Duration(0), false
		if n, err := strconv.ParseUint(v, 10, 31); err == nil && strings.Trim(v, "0123456789") == "" {
			want, wantOK = time.Duration(n)*time.Second, true
		} else if at, err := http.ParseTime(v); err == nil && strings.Trim(v, "0123456789") != "" {
			want, wantOK = max(at.Sub(now), 0), true
		}
		if wantOK && (d != want || !ok) {
			t.Fatalf("RetryAfter with Retry-After %q = %v, %v; want %v", retryAfter, d, ok, want)
		}
	})
}
