package clikit_test

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/cli/hubupload"
	"github.com/tokenguard/tokenguard/internal/cli/pushguard"
	"github.com/tokenguard/tokenguard/internal/cli/secretscan"
	"github.com/tokenguard/tokenguard/internal/cli/tokenage/kongcli"
	"github.com/tokenguard/tokenguard/internal/cli/tokencheck"
)

// mains are the five tools' command lines (tokenage's is tokenage-cli's:
// tokenage hands --help and every kong command to it).
var mains = map[string]func(args []string, stdout, stderr io.Writer) int{
	"tokencheck": tokencheck.Main,
	"secretscan": secretscan.Main,
	"pushguard": func(args []string, stdout, stderr io.Writer) int {
		return pushguard.Main(args, strings.NewReader(""), stdout, stderr)
	},
	"tokenage-cli": kongcli.Main,
	"hubupload":    hubupload.Main,
}

// answer runs a tool and returns what it printed and its exit code.
func answer(main func([]string, io.Writer, io.Writer) int, args []string) string {
	var out, errs bytes.Buffer
	code := main(args, &out, &errs)
	return "exit " + strconv.Itoa(code) + "\nstdout:\n" + out.String() + "stderr:\n" + errs.String()
}

// TestOneCommandModelAnswersAsTheWhole: when the first argument names a
// command, Parse builds only that command; its help (and each subcommand's)
// and its usage errors must be word for word those of the whole model.
func TestOneCommandModelAnswersAsTheWhole(t *testing.T) {
	reduced := 0
	for tool, main := range mains {
		var whole *kong.Kong
		restoreAll := clikit.BuildAllCommands()
		restore := clikit.InspectParsers(func(k *kong.Kong) { whole = k })
		main([]string{"--help"}, io.Discard, io.Discard)
		restore()
		restoreAll()
		if whole == nil {
			t.Fatalf("%s: no parser built", tool)
		}
		for _, cmd := range whole.Model.Children {
			for _, word := range append([]string{cmd.Name}, cmd.Aliases...) {
				cases := [][]string{{word, "--help"}, {word, "-h"}, {word, "--no-such-flag"}, {word, "--help", "--no-such-flag"}}
				for _, sub := range cmd.Children {
					cases = append(cases, []string{word, sub.Name, "--help"}, []string{word, sub.Name, "--no-such-flag"})
				}
				for _, args := range cases {
					restoreAll := clikit.BuildAllCommands()
					want := answer(main, args)
					restoreAll()
					var built *kong.Kong
					restore := clikit.InspectParsers(func(k *kong.Kong) { built = k })
					got := answer(main, args)
					restore()
					if got != want {
						t.Errorf("%s %s: built alone it answers\n%s\nwhere the whole model answers\n%s", tool, strings.Join(args, " "), got, want)
					}
					if built == nil || len(built.Model.Children) != 1 || built.Model.Children[0].Name != cmd.Name {
						t.Errorf("%s %s: the model built is not the %s command alone", tool, strings.Join(args, " "), cmd.Name)
						continue
					}
					reduced++
				}
			}
		}
	}
	if reduced < 40 {
		t.Errorf("only %d command lines were answered by a one-command model", reduced)
	}
}

// Anything but a command's exact name first gets the whole model.
func TestWholeModelWithoutACommandFirst(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-f", "json", "staged", "--help"}, {"stage", "--help"}, {"Staged", "--help"}} {
		var built *kong.Kong
		restore := clikit.InspectParsers(func(k *kong.Kong) { built = k })
		secretscan.Main(args, io.Discard, io.Discard)
		restore()
		if built == nil || len(built.Model.Children) < 5 {
			t.Errorf("secretscan %q: built %v, want the whole model", args, built)
		}
	}
}
