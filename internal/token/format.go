package token

import (
	"fmt"
	"strings"
	"unicode"
)

// Identify names the provider a value belongs to by its prefix, or "".
func Identify(value string) string {
	switch {
	case strings.HasPrefix(value, "hf_"), strings.HasPrefix(value, "api_org_"):
		return "hf"
	case strings.HasPrefix(value, "github_pat_"), len(value) > 4 && strings.HasPrefix(value, "gh") &&
		strings.ContainsRune("pousr", rune(value[2])) && value[3] == '_':
		return "github"
	case strings.HasPrefix(value, "sk-ant-"):
		return "anthropic"
	case strings.HasPrefix(value, "sk-"):
		return "openai"
	case strings.HasPrefix(value, "ak-"), strings.HasPrefix(value, "as-"):
		return "modal"
	case strings.HasPrefix(value, "wandb_v1_"):
		return "wandb"
	}
	return ""
}

// titles are the provider names people know, for messages about misplaced values.
var titles = map[string]string{
	"hf": "Hugging Face", "github": "GitHub", "anthropic": "Anthropic",
	"openai": "OpenAI", "modal": "Modal", "wandb": "W&B",
}

// pasteProblems finds what goes wrong when a value is pasted by hand:
// quotes, whitespace, or a token of another provider in this variable.
// It returns at most one problem, the first a person should fix.
func pasteProblems(c Credential, value string) []Problem {
	if value == "" {
		return []Problem{{Fatal: true, Msg: c.Var + " is empty", Hint: "set it to the token, or unset it"}}
	}
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) has quotes around the value", c.Var, c.Source),
			Hint: "remove the quotes: clients send them as part of the token"}}
	}
	if strings.TrimSpace(value) != value {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) has whitespace before or after the value", c.Var, c.Source),
			Hint: "set it again without the surrounding spaces or newline"}}
	}
	if i := strings.IndexFunc(value, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }); i >= 0 {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) contains a space or control character at position %d", c.Var, c.Source, i+1),
			Hint: "copy the token again; only one token belongs in the variable"}}
	}
	if other := Identify(value); other != "" && other != c.Provider {
		return []Problem{{Fatal: true,
			Msg: fmt.Sprintf("%s (%s) holds a %s token (%s), not a %s one",
				c.Var, c.Source, titles[other], Credential{Value: value}.Masked(), titles[c.Provider]),
			Hint: fmt.Sprintf("put the %s token in its own variable and set %s to a %s token",
				titles[other], c.Var, titles[c.Provider])}}
	}
	return nil
}

// firstBad returns the 1-based position of the first byte not accepted by ok, or 0.
func firstBad(s string, ok func(byte) bool) int {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return i + 1
		}
	}
	return 0
}
