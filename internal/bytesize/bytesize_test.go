package bytesize

import (
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Size{
		"10MiB": 10 << 20, "10 mib": 10 << 20, " 10Mib ": 10 << 20, "100MB": 100e6, "1.5GiB": 3 << 29,
		"1.5MiB": 3 << 19, "1.1MiB": 1153433, "512k": 512 << 10, "2m": 2 << 20, "1g": 1 << 30,
		"1048576": 1 << 20, "7b": 7, "7 B": 7, "0.5KiB": 512, ".5k": 512, "1.0001KB": 1000, "2TiB": 2 << 40,
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ten", "-1MiB", "+1MiB", "10XB", "1e3", "1e30", "0x10", "1_000", "1.2.3MiB", ".", "MiB",
		"0", "0MiB", "0.0001KiB", "1.5", "9223372036854775808", "8388608TiB", "NaN", "Inf", "10 MiB extra"} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", in, got)
		} else if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("Parse(%q): error %q does not name the input", in, err)
		}
	}
}

// git's own integer parser is the reference for the suffixes k, m and g:
// 'git config --type=int' reads them as binary multiples, as Parse does.
func TestParseAgreesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	for _, in := range []string{"1", "512k", "512K", "20m", "3M", "1g", "1048576"} {
		out, err := exec.Command("git", "config", "--file", "/dev/null", "--type=int", "--default", in, "x.y").Output()
		if err != nil {
			t.Fatalf("git config %s: %v", in, err)
		}
		want, _ := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
		if got, err := Parse(in); err != nil || int64(got) != want {
			t.Errorf("Parse(%q) = %d, %v; git reads %d", in, got, err, want)
		}
	}
}

func TestString(t *testing.T) {
	for n, want := range map[Size]string{
		0: "0 bytes", 1: "1 byte", 10: "10 bytes", 1023: "1023 bytes", 1024: "1 KiB", 64 << 10: "64 KiB",
		1536: "1.5 KiB", 10 << 20: "10 MiB", 3 << 19: "1.5 MiB", 100e6: "95.4 MiB", 11<<20 + 1: "11.0 MiB",
		5 << 30: "5 GiB", 3 << 40: "3 TiB",
	} {
		if got := n.String(); got != want {
			t.Errorf("Size(%d).String() = %q, want %q", int64(n), got, want)
		}
	}
}

// What String prints, Parse reads back: exactly when the form is exact,
// else to within the half-tenth of a unit String rounded away.
func TestStringParsesBack(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		n := Size(r.Int64N(1 << r.IntN(50)))
		if n == 0 {
			continue
		}
		s := n.String()
		back, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) (Size(%d).String()): %v", s, int64(n), err)
		}
		exact := !strings.Contains(s, ".")
		if diff := max(back-n, n-back); exact && diff != 0 || float64(diff) > float64(n)/20 {
			t.Errorf("Size(%d) prints %q, which reads back as %d", int64(n), s, int64(back))
		}
	}
}

func TestEmptyTextIsUnset(t *testing.T) {
	s := Size(5)
	if err := s.UnmarshalText(nil); err != nil || s != 0 {
		t.Errorf("empty text: %d, %v; want unset", s, err)
	}
}

func TestTOMLTakesStringsAndIntegers(t *testing.T) {
	var v struct {
		A, B, C Size
	}
	if _, err := toml.Decode("A = \"5MiB\"\nB = 104857600\nC = 0\n", &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 5<<20 || v.B != 100<<20 || v.C != 0 {
		t.Errorf("decoded %+v", v)
	}
	for _, bad := range []string{"A = \"big\"", "A = -1", "A = 1.5", "A = true"} {
		if _, err := toml.Decode(bad, &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
