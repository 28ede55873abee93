// Package bytesize is the one way tokenguard reads and writes a number of
// bytes: flags (secretscan --max-size, pushguard --max-file-size and
// --scan-max-size), their environment variables and the configuration file
// all take the same grammar, and every message prints sizes the same way.
package bytesize

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Size is a number of bytes.
type Size int64

// units are the suffixes Parse accepts, matched without regard to case.
// The IEC forms and the bare letters are binary, as in git's config
// ("512k"); KB, MB, GB and TB are decimal, as disk makers write them.
var units = map[string]int64{
	"": 1, "b": 1, "byte": 1, "bytes": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
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
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := units[unit]
	whole, frac, dot := strings.Cut(num, ".")
	switch {
	case num == "" || !ok || whole == "" && frac == "" || strings.Contains(frac, "."):
		return 0, fmt.Errorf("%q is not a size: want %s", s, Grammar)
	case dot && mult == 1:
		return 0, fmt.Errorf("%q is not a size: a number of bytes is whole; use a unit for fractions (1.5KiB)", s)
	}
	// Exact arithmetic: 1.1 MiB is 1153433 bytes, not what a float makes of it.
	v, _ := new(big.Rat).SetString(whole + "." + frac + "0")
	v.Mul(v, new(big.Rat).SetInt64(mult))
	n := new(big.Int).Quo(v.Num(), v.Denom())
	switch {
	case !n.IsInt64():
		return 0, fmt.Errorf("%q is too large a size", s)
	case n.Sign() == 0:
		return 0, fmt.Errorf("%q is not a size: it must be at least 1 byte", s)
	}
	return Size(n.Int64()), nil
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
