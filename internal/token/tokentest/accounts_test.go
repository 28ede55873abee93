package tokentest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/token"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// Every generated token passes tokenguard's offline format checks, GitHub's
// checksum included: the fakes must not accept what a real service refuses.
func TestNewTokenFormats(t *testing.T) {
	for _, name := range []string{"github", "github-app", "wandb", "openai", "anthropic", "modal"} {
		provider := strings.TrimSuffix(name, "-app")
		p, _ := token.Lookup(provider)
		v, secret, err := tokentest.NewToken(name)
		if err != nil {
			t.Fatal(err)
		}
		v2, _, _ := tokentest.NewToken(name)
		if v == v2 {
			t.Errorf("%s: two calls gave the same token", name)
		}
		for _, prob := range p.Format(credential.Credential{Provider: provider, Var: "V", Source: "test", Value: v, Secret: secret}) {
			t.Errorf("%s: %s", name, prob.Msg)
		}
	}
	if _, _, err := tokentest.NewToken("gitlab"); err == nil {
		t.Error("an unknown provider gave a token")
	}
}

func live(env map[string]string) token.Live {
	return token.Live{HTTP: &http.Client{}, Retry: retry.Policy{}, Env: credential.Env{Getenv: func(k string) string { return env[k] }}}
}

// Each fake answers each account with its own identity (and GitHub with
// its own scopes), and refuses a token it was not given.
func TestFakesServeTheirAccounts(t *testing.T) {
	type check struct {
		provider, envVar string
		accounts         []tokentest.Account
	}
	tok := func(name string) tokentest.Account {
		v, s, _ := tokentest.NewToken(name)
		return tokentest.Account{Token: v, Secret: s}
	}
	with := func(a tokentest.Account, id, role string) tokentest.Account { a.Identity, a.Role = id, role; return a }
	gh1, gh2 := with(tok("github"), "alice", "repo, workflow"), with(tok("github"), "bob", "repo")
	wb1, wb2 := with(tok("wandb"), "alice", ""), with(tok("wandb"), "bob", "")
	oa1, oa2 := with(tok("openai"), "org-a", ""), with(tok("openai"), "org-b", "")
	an1, an2 := with(tok("anthropic"), "uuid-a", ""), with(tok("anthropic"), "uuid-b", "")
	mo1, mo2 := with(tok("modal"), "alice@ml", "laptop"), with(tok("modal"), "bob@ml", "ci")
	checks := []check{
		{"github", "GITHUB_API_URL", []tokentest.Account{gh1, gh2}},
		{"wandb", "WANDB_BASE_URL", []tokentest.Account{wb1, wb2}},
		{"openai", "OPENAI_BASE_URL", []tokentest.Account{oa1, oa2}},
		{"anthropic", "ANTHROPIC_BASE_URL", []tokentest.Account{an1, an2}},
		{"modal", "MODAL_SERVER_URL", []tokentest.Account{mo1, mo2}},
	}
	starts := map[string]func(string, []tokentest.Account) (*tokentest.Server, error){
		"github": tokentest.NewGitHubWith, "wandb": tokentest.NewWandBWith, "openai": tokentest.NewOpenAIWith,
		"anthropic": tokentest.NewAnthropicWith, "modal": tokentest.NewModalWith,
	}
	for _, c := range checks {
		srv, err := starts[c.provider]("ok", c.accounts)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		p, _ := token.Lookup(c.provider)
		l := live(map[string]string{c.envVar: srv.URL})
		for _, a := range c.accounts {
			res := p.Validate(context.Background(), credential.Credential{Provider: c.provider, Value: a.Token, Secret: a.Secret, Var: "V"}, token.Requirement{}, l)
			wantID := a.Identity
			if c.provider == "github" {
				wantID = "" // GET /rate_limit does not say whose; rotate asks /user
			}
			if res.Status != token.Valid || res.Identity != wantID {
				t.Errorf("%s %s: %s identity %q, want valid %q", c.provider, a.Identity, res.Status, res.Identity, wantID)
			}
			if c.provider == "github" && res.Role != strings.ReplaceAll(a.Role, " ", "") {
				t.Errorf("github %s: role %q, want %q", a.Identity, res.Role, a.Role)
			}
		}
		stranger := tok(c.provider)
		if res := p.Validate(context.Background(), credential.Credential{Provider: c.provider, Value: stranger.Token, Secret: stranger.Secret, Var: "V"}, token.Requirement{}, l); res.Status != token.Invalid {
			t.Errorf("%s: a token the fake was not given is %s", c.provider, res.Status)
		}
		if log := srv.Log(); log == "" || strings.Contains(log, c.accounts[0].Token) {
			t.Errorf("%s: request log %q: want lines and no token", c.provider, log)
		}
	}
}

// GET /user answers each token's login; an installation token gets 403.
func TestGitHubUser(t *testing.T) {
	user, _, _ := tokentest.NewToken("github")
	app, _, _ := tokentest.NewToken("github-app")
	srv, err := tokentest.NewGitHubWith("ok", []tokentest.Account{{Token: user, Identity: "carol", Role: "repo"}, {Token: app}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for tok, want := range map[string]int{user: 200, app: 403, "ghp_unknown": 401} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/user", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /user: %d, want %d", resp.StatusCode, want)
		}
		if want == 200 && !strings.Contains(string(body), `"login":"carol"`) {
			t.Errorf("GET /user: %s, want carol's login", body)
		}
	}
}
