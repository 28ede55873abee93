package bytesize

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// refUnits and refParse are Parse as it was with math/big, before issue 18
// took math/big out of the shell fast path: the reference the integer
// arithmetic is held to, results and error messages alike.
var refUnits = map[string]int64{
	"": 1, "b": 1, "byte": 1, "bytes": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
}

func refParse(s string) (Size, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := refUnits[unit]
	whole, frac, dot := strings.Cut(num, ".")
	switch {
	case num == "" || !ok || whole == "" && frac == "" || strings.Contains(frac, "."):
		return 0, fmt.Errorf("%q is not a size: want %s", s, Grammar)
	case dot && mult == 1:
		return 0, fmt.Errorf("%q is not a size: a number of bytes is whole; use a unit for fractions (1.5KiB)", s)
	}
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

// referenceCases sit where integer arithmetic goes wrong: the int64 limit
// in every unit, fractions longer than any integer holds, fractions that
// make a whole number of bytes only at their last digit (1/2^40 has 40
// decimals), and the suffixes, in any case (the Kelvin sign lowers to k).
func referenceCases() []string {
	cases := []string{
		"1", "10MiB", "1.5GiB", "1.1MiB", ".5k", "1.k", "1.", ".", "1.5", "0", "00000000000000000000000000001",
		"9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
		"8388607TiB", "8388608TiB", "8388607.99999999999999999999999TiB", "9223372036854775.807KB", "9223372036854775.808KB",
		"9223372036854775.8079999999999999999KB", "9007199254740991.9999999999999999999k", "8796093022207.999999999m",
		"1.9999999999999999999999GiB", "0.0000000000009094947017729282379150390625TiB",
		"0.0000000000009094947017729282379150390624TiB", "0.0000000000009094947017729282379150390626TiB",
		"0.0009765625KiB", "0.0009765624KiB", "0.000000000000000000000000000000000000000000000000001TB",
		"12.3456789012345678901234567890123456789MB", "1.0001KB", "2TiB", "7 B", "7 bytes", "1 byte", "10 \u212aiB", "10 ſb",
		"1.2.3MiB", "10XB", "1e3", " 3 GB ", "3\u00a0GB", "4 Tb", "5KIB", "6mB", "-1", "+1", "NaN",
	}
	for _, u := range []string{"", "b", "k", "KiB", "kb", "m", "MiB", "MB", "g", "GiB", "GB", "t", "TiB", "TB"} {
		cases = append(cases, "1"+u, "0.5"+u, "1023.999999999999999999999"+u, "9223372036854775807"+u)
	}
	return cases
}

func sameParse(t *testing.T, in string) {
	t.Helper()
	got, err := Parse(in)
	want, wantErr := refParse(in)
	if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Errorf("Parse(%q) = %d, %v\n big.Rat gives %d, %v", in, got, err, want, wantErr)
	}
}

func TestParseMatchesBigRat(t *testing.T) {
	for _, in := range referenceCases() {
		sameParse(t, in)
	}
}

func FuzzParseMatchesBigRat(f *testing.F) {
	for _, in := range referenceCases() {
		f.Add(in)
	}
	f.Fuzz(sameParse)
}
