package token

import (
	"fmt"
	"slices"
	"strings"
)

// Providers lists every provider in the order reports show them.
func Providers() []Provider {
	return []Provider{HF{}, Modal{}, GitHub{}, WandB{}, OpenAI{}, Anthropic{}}
}

// Lookup finds a provider by its short name.
func Lookup(name string) (Provider, bool) {
	for _, p := range Providers() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}

func providerNames() string {
	var names []string
	for _, p := range Providers() {
		names = append(names, p.Name())
	}
	return strings.Join(names, ", ")
}

// ParseRequirement reads "provider[:level]", e.g. "hf:write" or "modal".
func ParseRequirement(s string) (Requirement, error) {
	name, level, _ := strings.Cut(strings.TrimSpace(s), ":")
	p, ok := Lookup(name)
	if !ok {
		return Requirement{}, fmt.Errorf("unknown provider %q in requirement %q (known: %s)", name, s, providerNames())
	}
	levels := p.Levels()
	switch {
	case level == "":
	case len(levels) == 0:
		return Requirement{}, fmt.Errorf("provider %s takes no level, got %q", name, s)
	case !slices.Contains(levels, AnyLevel) && !slices.Contains(levels, level):
		return Requirement{}, fmt.Errorf("unknown level %q for %s (known: %s)", level, name, strings.Join(levels, ", "))
	}
	return Requirement{Provider: name, Level: level}, nil
}
