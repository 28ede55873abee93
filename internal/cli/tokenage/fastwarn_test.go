package tokenage

import (
	"io"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
)

// kongWarn parses args as the kong path does.
func kongWarn(args []string) (*warnCmd, bool) {
	var m warnOnly
	_, _, done := clikit.Parse(name, &m, args, io.Discard, io.Discard)
	return &m.Warn, !done
}

// FuzzParseWarn holds the hand parser to kong, the reference: whatever it
// accepts, kong accepts with the same flags. What it declines goes to kong,
// so declining is always safe.
func FuzzParseWarn(f *testing.F) {
	for _, s := range []string{
		"warn", "warn --timeout 1s", "warn --timeout=0", "warn --max-age 30d --warn-before=2w",
		"warn --remind-every 1d --remind-every 2d", "warn --timeout -1s", "warn --timeout", "warn --max-age=",
		"warn --max-age 5x", "warn -h", "warn --", "warn extra", "warn --timeout=1h2m3.5s", "warn --max-age 36h",
		"status", "warn --timeout 1.5", "warn --max-age=90d=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, " ")
		got, ok := parseWarn(args)
		if !ok {
			return
		}
		want, kongOK := kongWarn(args)
		if !kongOK {
			t.Fatalf("%q: parseWarn accepts what kong rejects", args)
		}
		if *got != *want {
			t.Fatalf("%q: parseWarn gives %+v, kong %+v", args, *got, *want)
		}
	})
}

// The common invocations take the fast path.
func TestParseWarnTakesTheShellInvocations(t *testing.T) {
	for _, args := range [][]string{{"warn"}, {"warn", "--timeout", "300ms"}, {"warn", "--remind-every=1d"}} {
		if _, ok := parseWarn(args); !ok {
			t.Errorf("%q goes through kong", args)
		}
	}
}
