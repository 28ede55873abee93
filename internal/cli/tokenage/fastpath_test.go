package tokenage

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/shell"
)

// The models kong parses warn and init with, for FuzzFastPath.
type (
	warnOnly struct {
		Warn WarnCmd `cmd:""`
	}
	initOnly struct {
		Init InitCmd `cmd:""`
	}
)

// FuzzFastPath holds the hand parsers to kong, the reference: whatever they
// accept, kong accepts with the same values. What they decline goes to
// kong, so declining is always safe.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{
		"warn", "warn --timeout 1s", "warn --timeout=0", "warn --max-age 30d --warn-before=2w",
		"warn --remind-every 1d --remind-every 2d", "warn --timeout -1s", "warn --timeout", "warn --max-age=",
		"warn --max-age 5x", "warn -h", "warn --", "warn extra", "warn --timeout=1h2m3.5s", "warn --max-age 36h",
		"status", "warn --timeout 1.5", "warn --max-age=90d=1",
		"init bash", "init zsh --timeout 1s", "init --timeout=2s fish", "init", "init sh", "init bash zsh",
		"init bash --max-age 1d", "init -- bash", "init bash --timeout=-1s", "init fish --help",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, " ")
		if got, ok := parseWarn(args); ok {
			var m warnOnly
			if _, _, done := clikit.Parse(name, &m, args, io.Discard, io.Discard); done {
				t.Fatalf("%q: parseWarn accepts what kong rejects", args)
			}
			if *got != m.Warn {
				t.Fatalf("%q: parseWarn gives %+v, kong %+v", args, *got, m.Warn)
			}
		}
		if got, ok := parseInit(args); ok {
			var m initOnly
			if _, _, done := clikit.Parse(name, &m, args, io.Discard, io.Discard); done {
				t.Fatalf("%q: parseInit accepts what kong rejects", args)
			}
			if *got != m.Init {
				t.Fatalf("%q: parseInit gives %+v, kong %+v", args, *got, m.Init)
			}
		}
	})
}

// The invocations of the shell snippets and the rc lines take the fast
// path: the warn line of every rendered snippet, and every init line.
func TestFastPathTakesTheShellInvocations(t *testing.T) {
	calls := [][]string{{"warn"}, {"warn", "--remind-every=1d"}}
	for _, sh := range shell.Shells() {
		for _, timeout := range []time.Duration{300 * time.Millisecond, 0, 90 * time.Second} {
			snippet, err := shell.Render(sh, shell.Hook{Path: "/opt/bin/tokenage", Timeout: timeout})
			if err != nil {
				t.Fatal(err)
			}
			_, line, found := strings.Cut(snippet, "'/opt/bin/tokenage' warn")
			line, _, _ = strings.Cut(line, "<")
			if !found {
				t.Fatalf("no warn line in the %s snippet:\n%s", sh.Name(), snippet)
			}
			calls = append(calls, append([]string{"warn"}, strings.Fields(line)...))
		}
		_, line, _ := strings.Cut(sh.RCLine(), "tokenage init")
		line, _, _ = strings.Cut(line, ")")
		line, _, _ = strings.Cut(line, "|")
		calls = append(calls, append([]string{"init"}, strings.Fields(line)...), []string{"init", sh.Name(), "--timeout=1s"})
	}
	for _, args := range calls {
		if _, ok := fastPath(args); !ok {
			t.Errorf("%q goes through kong", args)
		}
	}
}
