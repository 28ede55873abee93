package credential_test

import (
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/token"
)

// The finders and the providers of internal/token must describe the same
// providers in the same order: tokenage and tokencheck name them alike.
func TestFindersMatchProviders(t *testing.T) {
	finders, providers := credential.Finders(), token.Providers()
	if len(finders) != len(providers) {
		t.Fatalf("%d finders, %d providers", len(finders), len(providers))
	}
	for i, f := range finders {
		if p := providers[i]; f.Provider != p.Name() || f.Title != p.Title() {
			t.Errorf("finder %d is %s/%s, provider is %s/%s", i, f.Provider, f.Title, p.Name(), p.Title())
		}
	}
}

func TestFindAllInReportOrder(t *testing.T) {
	vars := map[string]string{
		"ANTHROPIC_API_KEY": "sk-ant-x", "GH_TOKEN": "ghp_x", "GITHUB_TOKEN": "ghp_y", "HF_TOKEN": "hf_x",
	}
	env := credential.Env{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir()}
	var got []string
	for _, c := range credential.FindAll(env) {
		got = append(got, c.Source)
	}
	want := []string{"env HF_TOKEN", "env GH_TOKEN", "env GITHUB_TOKEN", "env ANTHROPIC_API_KEY"}
	if len(got) != len(want) {
		t.Fatalf("FindAll found %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("FindAll found %v, want %v", got, want)
			break
		}
	}
}
