package tokencheck

import (
	"errors"
	"testing"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/token"
)

func TestRequirementsMergeArgumentsFlagsAndRepo(t *testing.T) {
	f := checkFlags{Providers: []string{"hf", "modal"}, Require: []string{"hf:read"}, Repo: "alice/x:dataset"}
	d := &deps{config: config.File{Tokencheck: config.Tokencheck{Require: []string{"wandb"}}}}
	reqs, err := f.requirements(d)
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
	d := &deps{config: config.File{Tokencheck: config.Tokencheck{Require: []string{"wandb", "github:repo"}}}, configPath: "x/.tokenguard.toml"}
	reqs, err := (&checkFlags{}).requirements(d)
	if err != nil || len(reqs) != 2 || reqs[1].Level != "repo" {
		t.Fatalf("got %+v %v", reqs, err)
	}
	d.config.Tokencheck.Require = []string{"nope"}
	_, err = (&checkFlags{}).requirements(d)
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

func TestEscapeGitHubWorkflowCommands(t *testing.T) {
	if got := escapeData("50%\nnext\r"); got != "50%25%0Anext%0D" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("escapeProperty = %q", got)
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
