// Package bytesize is the one way tokenguard reads and writes a number of
// bytes: flags (secretscan --max-size, pushguard --max-file-size and
// --scan-max-size), their environment variables and the configuration file
// all take the same grammar, and every message prints sizes the same way.
package bytesize

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Size is a number of bytes.
type Size int64

// unit returns the multiple a suffix stands for, matched without regard
// to case. The IEC forms and the bare letters are binary, as in git's
// config ("512k"); KB, MB, GB and TB are decimal, as disk makers write
// them. A switch rather than a map: a map would be built at init, in every
// binary's start, the shell fast path's included (issue 18).
func unit(suffix string) (mult uint64, ok bool) {
	switch suffix {
	case "", "b", "byte", "bytes":
		return 1, true
	case "k", "kib":
		return 1 << 10, true
	case "kb":
		return 1e3, true
	case "m", "mib":
		return 1 << 20, true
	case "mb":
		return 1e6, true
	case "g", "gib":
		return 1 << 30, true
	case "gb":
		return 1e9, true
	case "t", "tib":
		return 1 << 40, true
	case "tb":
		return 1e12, true
	}
	return 0, false
}

// Grammar is what Parse accepts, for messages and help.
const Grammar = "a number of bytes, or a number with a unit: KiB, MiB, GiB (binary; also k, m, g), KB, MB, GB (decimal), e.g. 512KiB, 1.5MiB, 100MB"

// Parse reads a size: a number, optionally with a decimal fraction, then
// optionally a unit, with or without a space between ("10MiB", "1.5 GiB",
// "100MB", "512k", "1048576"). A fraction of a byte is dropped. Sizes are
// positive: a limit of zero bytes would read nothing.
func Parse(s string) (Size, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, suffix := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := unit(suffix)
	whole, frac, dot := strings.Cut(num, ".")
	switch {
	case num == "" || !ok || whole == "" && frac == "" || strings.Contains(frac, "."):
		return 0, fmt.Errorf("%q is not a size: want %s", s, Grammar)
	case dot && mult == 1:
		return 0, fmt.Errorf("%q is not a size: a number of bytes is whole; use a unit for fractions (1.5KiB)", s)
	}
	// Exact integer arithmetic: 1.1 MiB is 1153433 bytes, not what a float
	// makes of it. whole*mult, plus the fraction's share of mult, rounded down.
	w, ok := wholeNumber(whole)
	hi, n := bits.Mul64(w, mult)
	if ok && hi == 0 && n <= math.MaxInt64 {
		n += fractionOf(frac, mult) // below mult (at most 2^40): no wrap
	}
	switch {
	case !ok || hi != 0 || n > math.MaxInt64:
		return 0, fmt.Errorf("%q is too large a size", s)
	case n == 0:
		return 0, fmt.Errorf("%q is not a size: it must be at least 1 byte", s)
	}
	return Size(n), nil
}

// wholeNumber reads a string of decimal digits; ok is false when the
// number does not fit in an int64.
func wholeNumber(digits string) (n uint64, ok bool) {
	for i := 0; i < len(digits); i++ {
		d := uint64(digits[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// fractionOf returns floor(0.digits × mult), exactly for any number of
// digits: long division from the last digit, since floor((d×mult + x)/10)
// = floor((d×mult + floor(x))/10). The carry stays below mult, so nothing
// overflows for mult < 2^59.
func fractionOf(digits string, mult uint64) uint64 {
	carry := uint64(0)
	for i := len(digits) - 1; i >= 0; i-- {
		carry = (uint64(digits[i]-'0')*mult + carry) / 10
	}
	return carry
}

// String writes the size the way people read it, in the largest binary
// unit it reaches: whole when exact ("10 MiB", "512 KiB", "100 bytes"),
// else to one decimal ("1.5 MiB", "95.4 MiB" for 100MB). Parse reads an
// exact form back to the same size.
func (s Size) String() string {
	n := int64(s)
	if n < 1<<10 {
		if n == 1 {
			return "1 byte"
		}
		return strconv.FormatInt(n, 10) + " bytes"
	}
	unit, name := int64(1<<10), "KiB"
	for _, u := range []struct {
		mult int64
		name string
	}{{1 << 20, "MiB"}, {1 << 30, "GiB"}, {1 << 40, "TiB"}} {
		if n >= u.mult {
			unit, name = u.mult, u.name
		}
	}
	if n%unit == 0 {
		return strconv.FormatInt(n/unit, 10) + " " + name
	}
	return strconv.FormatFloat(float64(n)/float64(unit), 'f', 1, 64) + " " + name
}

// UnmarshalText reads a size from a flag or an environment variable. An
// empty value (a variable exported empty) leaves the size unset, so the
// default applies.
func (s *Size) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = 0
		return nil
	}
	n, err := Parse(string(b))
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UnmarshalTOML reads a size from the configuration file: a string in
// Parse's grammar, or an integer number of bytes, where 0 (what an
// encoder writes for an unset size) keeps the default.
func (s *Size) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		if v < 0 {
			return fmt.Errorf("size %d is negative", v)
		}
		*s = Size(v)
		return nil
	case string:
		return s.UnmarshalText([]byte(v))
	}
	return fmt.Errorf("a size is a number of bytes or a string such as \"10MiB\", not %v", v)
}
