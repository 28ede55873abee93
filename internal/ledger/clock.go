package ledger

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a duration as people write token ages: "90d", "2w",
// "36h", "1d12h", or anything time.ParseDuration accepts. "0" is zero.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			break
		}
		unit := time.Duration(0)
		switch {
		case i < len(rest) && rest[i] == 'd':
			unit = 24 * time.Hour
		case i < len(rest) && rest[i] == 'w':
			unit = 7 * 24 * time.Hour
		}
		if unit == 0 {
			break
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	if rest == "" {
		return total, nil
	}
	d, err := time.ParseDuration(rest)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: use days (90d), weeks (2w) or hours (36h)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: negative", s)
	}
	return total + d, nil
}

// FormatDays writes a duration as whole days: "97 days", "1 day", "0 days".
func FormatDays(d time.Duration) string {
	n := Days(d)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Days is a duration in whole days, rounded down.
func Days(d time.Duration) int { return int(d / (24 * time.Hour)) }
