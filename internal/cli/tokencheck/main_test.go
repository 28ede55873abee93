package tokencheck

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/token"
)

func TestRequirementsMergeArgumentsFlagsAndRepo(t *testing.T) {
	f := checkFlags{Providers: []string{"hf", "modal"}, Require: []string{"hf:read"}, Repo: "alice/x:dataset"}
	cfg := configFile{File: config.File{Tokencheck: config.Tokencheck{Require: []string{"wandb"}}}}
	reqs, err := f.requirements(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []token.Requirement{
		{Provider: "hf", Level: "write", Repo: "alice/x", RepoType: "dataset"},
		{Provider: "modal"},
	}
	if len(reqs) != len(want) {
		t.Fatalf("got %+v, want %+v (the file must not apply when arguments are given)", reqs, want)
	}
	for i := range want {
		if reqs[i] != want[i] {
			t.Errorf("requirement %d = %+v, want %+v", i, reqs[i], want[i])
		}
	}
}

func TestRequirementsFallBackToTheConfigFile(t *testing.T) {
	cfg := configFile{File: config.File{Tokencheck: config.Tokencheck{Require: []string{"wandb", "github:repo"}}}, Path: "x/.tokenguard.toml"}
	reqs, err := (&checkFlags{}).requirements(cfg)
	if err != nil || len(reqs) != 2 || reqs[1].Level != "repo" {
		t.Fatalf("got %+v %v", reqs, err)
	}
	cfg.Tokencheck.Require = []string{"nope"}
	_, err = (&checkFlags{}).requirements(cfg)
	var e *clikit.Error
	if !errors.As(err, &e) || e.Code != clikit.ExitUsage || e.Hint != "fix the requirement in x/.tokenguard.toml" {
		t.Errorf("want a usage error naming the file, got %#v", err)
	}
}

func TestVerdictPolicyFailureWinsOverUnknown(t *testing.T) {
	cases := []struct {
		results []token.Result
		code    int
	}{
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Valid}}, 0},
		{[]token.Result{{Provider: "hf", Required: false, Status: token.Missing}}, 0},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Unknown}}, clikit.ExitIncomplete},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Unknown}, {Provider: "modal", Required: true, Status: token.Expired}}, clikit.ExitPolicy},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Insufficient}}, clikit.ExitPolicy},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.WellFormed}}, 0},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Unreadable}}, clikit.ExitIncomplete},
		{[]token.Result{{Provider: "hf", Required: true, Status: token.Unreadable}, {Provider: "modal", Required: true, Status: token.Missing}}, clikit.ExitPolicy},
	}
	for i, c := range cases {
		err := verdict(c.results)
		code := 0
		var e *clikit.Error
		if errors.As(err, &e) {
			code = e.Code
		}
		if code != c.code {
			t.Errorf("case %d: code %d, want %d (%v)", i, code, c.code, err)
		}
	}
}

// The github format masks values only for a runner, escaped so the runner
// registers the value itself, and escapes the annotations.
func TestGitHubFormatMasksOnlyInActions(t *testing.T) {
	const value = "hf_50%of\nsecret" // what a user pasted, newline included
	results := []token.Result{{Provider: "hf", Required: true, Status: token.Invalid, Reason: "100% wrong, really: no"}}
	for _, actions := range []string{"", "true"} {
		vars := map[string]string{"HF_TOKEN": value, "GITHUB_ACTIONS": actions}
		env := token.Env{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir()}
		var b strings.Builder
		if err := writeGitHub(&b, results, env, time.Now()); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		masks := "::add-mask::hf_50%25of\n::add-mask::secret\n"
		if actions == "true" && !strings.HasPrefix(out, masks) {
			t.Errorf("in Actions: want the masks %q first, got\n%s", masks, out)
		}
		if actions == "" && (strings.Contains(out, "add-mask") || strings.Contains(out, "secret")) {
			t.Errorf("outside Actions the value was printed:\n%s", out)
		}
		if want := "::error title=tokencheck hf::hf is invalid: 100%25 wrong, really: no\n"; !strings.Contains(out, want) {
			t.Errorf("annotation %q missing from\n%s", want, out)
		}
	}
}

func TestVerdictNamesFailuresAndWhatWasNotChecked(t *testing.T) {
	err := verdict([]token.Result{{Provider: "hf", Required: true, Status: token.Unreadable},
		{Provider: "modal", Required: true, Status: token.Missing}, {Provider: "wandb", Required: true, Status: token.Unknown}})
	want := "not ready: modal missing; also could not check wandb: the service did not answer; could not read the credential file of hf"
	if err == nil || err.Error() != want {
		t.Errorf("verdict = %v\nwant %s", err, want)
	}
}
