package rotate

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/token"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// prepareGitHub runs Prepare for GitHub with old in GH_TOKEN and the fake's accounts.
func prepareGitHub(t *testing.T, old, new string, accounts []tokentest.Account, newIdentity bool) (*Rotation, error) {
	t.Helper()
	srv, err := tokentest.NewGitHubWith("ok", accounts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	vars := map[string]string{"GH_TOKEN": old, "GITHUB_API_URL": srv.URL}
	env := credential.Env{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir()}
	log := logrus.New()
	log.SetOutput(io.Discard)
	return Prepare(context.Background(), Options{
		Provider: "github", New: credential.Credential{Value: new}, NewIdentity: newIdentity, Env: env,
		Cwd: t.TempDir(), StateDir: t.TempDir(), Log: log, Now: time.Now,
		Live: token.Live{HTTP: &http.Client{}, Retry: retry.Policy{}, Env: env},
	})
}

func ghToken(t *testing.T, kind string) string {
	v, _, err := tokentest.NewToken(kind)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// GitHub's logins are compared (GET /user), not only the scopes.
func TestGitHubIdentityCompared(t *testing.T) {
	old, mine, bobs, app := ghToken(t, "github"), ghToken(t, "github"), ghToken(t, "github"), ghToken(t, "github-app")
	accounts := []tokentest.Account{
		{Token: old, Identity: "alice", Role: "repo"}, {Token: mine, Identity: "alice", Role: "repo, gist"},
		{Token: bobs, Identity: "bob", Role: "repo"}, {Token: app},
	}
	r, err := prepareGitHub(t, old, mine, accounts, false)
	if err != nil || r.Identity != "alice" || len(r.Notes) != 0 {
		t.Fatalf("same login: %v, identity %q, notes %q", err, r.Identity, r.Notes)
	}

	_, err = prepareGitHub(t, old, bobs, accounts, false)
	var refused *Refused
	if !errors.As(err, &refused) || refused.Kind != KindOtherIdentity || refused.Identity != "alice" {
		t.Fatalf("bob's token: got %v, want a refusal naming alice", err)
	}
	if _, err := prepareGitHub(t, old, bobs, accounts, true); err != nil {
		t.Fatalf("bob's token with --new-identity: %v", err)
	}

	// An installation token: /user answers 403, whose it is stays unknown,
	// the plan says so, and it is no failure.
	r, err = prepareGitHub(t, old, app, accounts, false)
	if err != nil {
		t.Fatalf("app token: %v", err)
	}
	if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, "installation token: GitHub does not say whose it is") {
		t.Errorf("app token notes %q: want the unknown identity said", notes)
	}
}

func TestGitHubLoginUnreachable(t *testing.T) {
	env := credential.Env{Getenv: func(k string) string { return map[string]string{"GITHUB_API_URL": "http://127.0.0.1:1"}[k] }}
	_, ok, err := githubLogin(context.Background(), env, "ghp_x", token.Live{HTTP: &http.Client{}, Retry: retry.Policy{MaxAttempts: 1}})
	if err == nil || ok {
		t.Fatalf("unreachable API: ok %v, err %v; want an error", ok, err)
	}
}
