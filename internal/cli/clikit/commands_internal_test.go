package clikit

import (
	"slices"
	"testing"

	"github.com/alecthomas/kong"
)

type sample struct {
	Verbose  bool     `help:"A flag, not a command."`
	DryRun   struct{} `cmd:"" help:"Two words."`
	Baseline struct{} `cmd:"" name:"accept" aliases:"ok, yes" help:"Named and aliased."`
	Plain    struct{} `cmd:"" help:"One word."`
}

// onlyCommand names commands as kong does: the commands it keeps and drops
// are the ones kong's own model has under those words.
func TestOnlyCommandNamesCommandsAsKong(t *testing.T) {
	k, err := kong.New(&sample{})
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, c := range k.Model.Children {
		words = append(words, c.Name)
		words = append(words, c.Aliases...)
	}
	slices.Sort(words)
	if want := []string{"accept", "dry-run", "ok", "plain", "yes"}; !slices.Equal(words, want) {
		t.Fatalf("kong names the commands %q, want %q", words, want)
	}
	for _, w := range words {
		others := onlyCommand(&sample{}, []string{w})
		if len(others) != 2 {
			t.Errorf("%s: ignores %q, want the two other commands", w, others)
			continue
		}
		k, err := kong.New(&sample{}, kong.IgnoreFields(others...))
		if err != nil {
			t.Fatal(err)
		}
		if len(k.Model.Children) != 1 || len(k.Model.Flags) == 0 {
			t.Errorf("%s: the model keeps %d commands and %d flags, want one command and the flags", w, len(k.Model.Children), len(k.Model.Flags))
		}
	}
	for _, args := range [][]string{nil, {"--verbose", "plain"}, {"dryrun"}, {"DryRun"}, {"verbose"}} {
		if others := onlyCommand(&sample{}, args); others != nil {
			t.Errorf("%q: ignores %q, want the whole model", args, others)
		}
	}
}
