// Package clock is the current time as the binaries see it. Tests move it
// through SetForTest, which only the test harness calls: no environment
// variable or flag of a shipped binary can move it, so nobody can silence
// the rotation warnings by setting one.
package clock

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var now = time.Now

// Now is the current time.
func Now() time.Time { return now() }

// SetForTest makes Now return the time value describes: an RFC 3339 time, a
// date (2026-03-01), or an offset from the real clock ("+100d", "-36h"). An
// empty value restores the real clock.
func SetForTest(value string) error {
	v := strings.TrimSpace(value)
	if v == "" {
		now = time.Now
		return nil
	}
	if v[0] == '+' || v[0] == '-' {
		d, err := offset(v[1:])
		if err != nil {
			return fmt.Errorf("test clock %q: %w", value, err)
		}
		if v[0] == '-' {
			d = -d
		}
		now = func() time.Time { return time.Now().Add(d) }
		return nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			now = func() time.Time { return t }
			return nil
		}
	}
	return fmt.Errorf("test clock %q is not an RFC 3339 time, a date or an offset such as +100d", value)
}

// offset reads "100d" or anything time.ParseDuration accepts.
func offset(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid number of days %q", days)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}
