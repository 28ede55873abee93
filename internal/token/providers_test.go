package token

import (
	"strings"
	"testing"
	"time"
)

func TestProviders(t *testing.T) {
	var names []string
	for _, p := range Providers() {
		names = append(names, p.Name())
		if p.Title() == "" || p.MissingHint() == "" {
			t.Errorf("%s: empty Title or MissingHint", p.Name())
		}
		if got, ok := Lookup(p.Name()); !ok || got.Name() != p.Name() {
			t.Errorf("Lookup(%q) = %v, %v", p.Name(), got, ok)
		}
	}
	if got := strings.Join(names, " "); got != "hf modal github wandb openai anthropic" {
		t.Errorf("Providers() = %s", got)
	}
	if _, ok := Lookup("HF"); ok {
		t.Error("Lookup is case-insensitive; requirements are written in lower case")
	}
}

func TestParseRequirement(t *testing.T) {
	valid := map[string]Requirement{
		"hf":              {Provider: "hf"},
		"hf:read":         {Provider: "hf", Level: "read"},
		"hf:write":        {Provider: "hf", Level: "write"},
		"  hf:write \n":   {Provider: "hf", Level: "write"},
		"hf:":             {Provider: "hf"},
		"modal":           {Provider: "modal"},
		"github":          {Provider: "github"},
		"github:repo":     {Provider: "github", Level: "repo"},
		"github:workflow": {Provider: "github", Level: "workflow"},
		"wandb":           {Provider: "wandb"},
		"openai":          {Provider: "openai"},
		"anthropic":       {Provider: "anthropic"},
	}
	for in, want := range valid {
		got, err := ParseRequirement(in)
		if err != nil || got != want {
			t.Errorf("ParseRequirement(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	invalid := map[string]string{
		"":               `unknown provider ""`,
		"huggingface":    `unknown provider "huggingface" in requirement "huggingface" (known: hf, modal, github, wandb, openai, anthropic)`,
		"HF:write":       `unknown provider "HF"`,
		":write":         `unknown provider ""`,
		"hf:admin":       `unknown level "admin" for hf (known: read, write)`,
		"hf:write:extra": `unknown level "write:extra" for hf`,
		"modal:write":    `provider modal takes no level, got "modal:write"`,
		"wandb:admin":    "takes no level",
		"openai:x":       "takes no level",
		"anthropic:x":    "takes no level",
	}
	for in, want := range invalid {
		got, err := ParseRequirement(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRequirement(%q) = %+v, %v; want an error containing %q", in, got, err, want)
		}
	}
}

func TestRequirementString(t *testing.T) {
	for r, want := range map[Requirement]string{
		{Provider: "hf"}:                    "hf",
		{Provider: "hf", Level: "write"}:    "hf:write",
		{Provider: "github", Level: "repo"}: "github:repo",
		{Provider: "hf", Level: "write", Repo: "alice/x", RepoType: "model"}: "hf:write",
	} {
		if got := r.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", r, got, want)
		}
	}
}

func TestIdentify(t *testing.T) {
	for value, want := range map[string]string{
		hfToken():                      "hf",
		"api_org_" + alnum(34):         "hf",
		githubToken("ghp_", alnum(30)): "github",
		githubToken("ghr_", alnum(30)): "github",
		githubPAT():                    "github",
		"ghx_" + alnum(36):             "",
		"gh_":                          "",
		"ghp_":                         "",
		anthropicKey():                 "anthropic",
		openaiKey():                    "openai",
		modalID():                      "modal",
		modalSecret():                  "modal",
		wandbV1():                      "wandb",
		hex40():                        "",
		"":                             "",
	} {
		if got := Identify(value); got != want {
			t.Errorf("Identify(%.8s…) = %q, want %q", value, got, want)
		}
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                             "0m",
		59 * time.Second:              "0m",
		90 * time.Second:              "1m",
		59 * time.Minute:              "59m",
		time.Hour:                     "1h00m",
		2*time.Hour - time.Second:     "1h59m",
		2*time.Hour + 5*time.Minute:   "2h05m",
		47 * time.Hour:                "47h00m",
		48 * time.Hour:                "2 days",
		5*24*time.Hour + 23*time.Hour: "5 days",
		90 * 24 * time.Hour:           "90 days",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%s) = %q, want %q", d, got, want)
		}
	}
}
