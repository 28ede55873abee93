package secretscan

import (
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub"
)

func TestRepoFilter(t *testing.T) {
	bert := hub.Repo{Type: "model", ID: "ml-team/bert"}
	demo := hub.Repo{Type: "space", ID: "ml-team/demo-app"}
	data := hub.Repo{Type: "dataset", ID: "ml-team/demo-data"}
	other := hub.Repo{Type: "model", ID: "alice/demo-x"}
	for _, tc := range []struct {
		name             string
		include, exclude []string
		keep             []hub.Repo
	}{
		{"no globs keep all", nil, nil, []hub.Repo{bert, demo, data, other}},
		{"namespace glob, any type", []string{"ml-team/*"}, nil, []hub.Repo{bert, demo, data}},
		{"typed glob", []string{"spaces/ml-team/*"}, nil, []hub.Repo{demo}},
		{"* does not cross /", []string{"*"}, nil, nil},
		{"exclude wins over include", []string{"*/demo-*"}, []string{"datasets/*/*"}, []hub.Repo{demo, other}},
		{"exclude only", nil, []string{"ml-team/demo-?pp", "alice/*"}, []hub.Repo{bert, data}},
		{"character class", []string{"ml-team/[bd]e*"}, []string{"models/*/*"}, []hub.Repo{demo, data}},
	} {
		f := repoFilter{include: tc.include, exclude: tc.exclude}
		var got []hub.Repo
		for _, r := range []hub.Repo{bert, demo, data, other} {
			if f.keep(r) {
				got = append(got, r)
			}
		}
		if len(got) != len(tc.keep) {
			t.Errorf("%s: kept %v, want %v", tc.name, got, tc.keep)
			continue
		}
		for i := range got {
			if got[i] != tc.keep[i] {
				t.Errorf("%s: kept %v, want %v", tc.name, got, tc.keep)
			}
		}
	}
}

func TestCheckGlob(t *testing.T) {
	for _, ok := range []string{"ml-team/*", "spaces/ml-team/*", "*/*", "datasets/*/[a-c]*"} {
		if err := checkGlob("--include", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"ml-team/[":         `--include "ml-team/[" is not a valid glob: syntax error in pattern`,
		"ml-team":           `--include "ml-team" matches nothing`,
		"notes/ml-team/x":   `--include "notes/ml-team/x" matches nothing`,
		"a/b/c/d":           `--include "a/b/c/d" matches nothing`,
		"spaces/ml-team/\\": `is not a valid glob`,
	} {
		err := checkGlob("--include", bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error with %q", bad, err, want)
		}
	}
}
