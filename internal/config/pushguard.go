package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Pushguard is the [pushguard] table.
//
//	[pushguard]
//	max_file_size = "10MiB"        # files above this must be in LFS (default 10 MiB, the Hub's limit)
//	strict = false                 # block the push when the Hub cannot be reached
//	[pushguard.max_file_size_by_host]
//	"github.com" = "100MiB"        # the limit for remotes on one host
type Pushguard struct {
	MaxFileSize       Size            `toml:"max_file_size"`
	Strict            bool            `toml:"strict"`
	MaxFileSizeByHost map[string]Size `toml:"max_file_size_by_host"`
}

// Size is a number of bytes, written as an integer or with a unit:
// "10MiB", "100 MB", "1.5GiB", "512k".
type Size int64

// UnmarshalTOML implements toml.Unmarshaler.
func (s *Size) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		if v < 0 {
			return fmt.Errorf("size %d is negative", v)
		}
		*s = Size(v)
		return nil
	case string:
		n, err := ParseSize(v)
		*s = Size(n)
		return err
	}
	return fmt.Errorf("size must be a number of bytes or a string such as \"10MiB\", got %v", v)
}

// UnmarshalText lets flags and environment variables take sizes too.
func (s *Size) UnmarshalText(b []byte) error {
	n, err := ParseSize(string(b))
	*s = Size(n)
	return err
}

var units = []struct {
	suffix string
	factor float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
	{"b", 1},
}

// ParseSize reads a size such as "10MiB" (binary), "100MB" (decimal) or "512k" (binary).
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	factor := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			factor = u.factor
			t = strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*factor > 1<<62 {
		return 0, fmt.Errorf("%q is not a size (examples: 10MiB, 100MB, 2GiB, 1048576)", s)
	}
	return int64(f * factor), nil
}

// HumanSize writes a size the way people read it: "2.1 GiB", "512 KiB", "100 bytes".
func HumanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
