package tokenage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// matches reports whether NAME, as people write it, names an item: its
// provider, variable (HF_TOKEN), source, or a fingerprint prefix of at least
// six digits.
func (it item) matches(name string) bool {
	switch {
	case name == it.entry.Provider:
		return true
	case len(name) >= 6 && strings.HasPrefix(it.fp, name):
		return true
	case it.cred != nil && (name == it.cred.Var || name == it.cred.Source || "env "+name == it.cred.Source):
		return true
	}
	return slices.Contains(it.entry.Sources, name) || slices.Contains(it.entry.Sources, "env "+name)
}

// pick finds the items NAME names; none is a usage error.
func pick(items []item, name string) ([]item, error) {
	var out []item
	for _, it := range items {
		if it.matches(name) {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, exitcode.Errorf(exitcode.Usage, "name a provider (hf), a variable (HF_TOKEN) or a fingerprint from 'tokenage status --all -f json'",
			"no credential matches %q", name)
	}
	return out, nil
}

func describe(it item) string {
	if it.cred != nil {
		return it.label()
	}
	return fmt.Sprintf("%s %s %s", title(it.entry.Provider), noun(it.entry.Provider), it.fp)
}
