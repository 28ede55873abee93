package rotate

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/token"
)

// Target is one place of GitHub Actions secrets: a repository, one of its
// environments, or an organisation.
type Target struct {
	Owner, Repo, Env string // Repo is "" for an organisation
	Name             string // the secret; "" takes the provider's usual names
}

// String names the target as on the command line, without the secret name.
func (t Target) String() string {
	switch {
	case t.Repo == "":
		return "org " + t.Owner
	case t.Env != "":
		return t.Owner + "/" + t.Repo + " environment " + t.Env
	}
	return t.Owner + "/" + t.Repo
}

// base is the target's path under the API.
func (t Target) base() string {
	switch {
	case t.Repo == "":
		return "/orgs/" + t.Owner + "/actions/secrets"
	case t.Env != "":
		return "/repos/" + t.Owner + "/" + t.Repo + "/environments/" + t.Env + "/secrets"
	}
	return "/repos/" + t.Owner + "/" + t.Repo + "/actions/secrets"
}

var (
	ghName       = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	ghSecretName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// ParseTarget reads OWNER/REPO[:NAME] (kind "repo"),
// OWNER/REPO/ENVIRONMENT[:NAME] ("env") or ORG[:NAME] ("org").
func ParseTarget(kind, s string) (Target, error) {
	path, name, _ := strings.Cut(s, ":")
	parts := strings.Split(path, "/")
	want := map[string]int{"org": 1, "repo": 2, "env": 3}[kind]
	shape := map[string]string{"org": "ORG[:NAME]", "repo": "OWNER/REPO[:NAME]", "env": "OWNER/REPO/ENVIRONMENT[:NAME]"}[kind]
	if len(parts) != want {
		return Target{}, fmt.Errorf("%q is not %s", s, shape)
	}
	for _, p := range parts {
		if !ghName.MatchString(p) {
			return Target{}, fmt.Errorf("%q is not %s: %q is not a GitHub name", s, shape, p)
		}
	}
	if name != "" && (!ghSecretName.MatchString(name) || strings.HasPrefix(strings.ToUpper(name), "GITHUB_")) {
		return Target{}, fmt.Errorf("%q: %q is not a secret name (letters, digits and _, not starting with a digit or GITHUB_)", s, name)
	}
	t := Target{Owner: parts[0], Name: name}
	if want > 1 {
		t.Repo = parts[1]
	}
	if want > 2 {
		t.Env = parts[2]
	}
	return t, nil
}

// DefaultNames are the variables a provider's clients read, the usual
// secret names.
func DefaultNames(provider string) []string {
	return map[string][]string{
		"hf": {"HF_TOKEN"}, "github": {"GH_TOKEN"}, "wandb": {"WANDB_API_KEY"},
		"openai": {"OPENAI_API_KEY"}, "anthropic": {"ANTHROPIC_API_KEY"},
		"modal": {"MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET"},
	}[provider]
}

// secret is one name and the value it gets.
type secret struct{ name, value string }

func (r *Rotation) secretValues(t Target) []secret {
	names := DefaultNames(r.provider.Name())
	values := []string{r.opts.New.Value, r.opts.New.Secret}
	if t.Name != "" {
		return []secret{{t.Name, values[0]}}
	}
	out := make([]secret, len(names))
	for i, n := range names {
		out[i] = secret{n, values[i]}
	}
	return out
}

// RemoteDone is a secret that holds the new value.
type RemoteDone struct {
	Target    Target
	Name      string
	UpdatedAt time.Time
}

// githubAPI writes Actions secrets with one credential.
type githubAPI struct {
	base, token string
	live        token.Live
}

// githubClient picks the credential for the secrets API (the new value
// when rotating GitHub itself) and checks its scopes first.
func (r *Rotation) githubClient(ctx context.Context) (*githubAPI, error) {
	o := r.opts
	var c credential.Credential
	if r.provider.Name() == "github" {
		c = o.New
		c.Source, c.Var = "the new token", "the new token"
	} else {
		found := credential.GitHub(o.Env)
		i := slices.IndexFunc(found, func(c credential.Credential) bool { return c.Err == nil })
		if i < 0 {
			return nil, errNoGitHub
		}
		c = found[i]
	}
	redact.Secret(c.Value)
	need := "repo"
	for _, t := range o.Targets {
		if t.Repo == "" {
			need = "admin:org"
		}
	}
	res := token.GitHub{}.Validate(ctx, c, token.Requirement{Provider: "github", Level: need}, o.Live)
	if res.Status != token.Valid {
		return nil, fmt.Errorf("the GitHub credential (%s, %s) cannot write the secrets: %s", c.Masked(), c.Source, res.Reason)
	}
	base := strings.TrimRight(o.Env.Get("GITHUB_API_URL"), "/")
	if base == "" {
		base = "https://api.github.com"
	}
	return &githubAPI{base: base, token: c.Value, live: o.Live}, nil
}

// call sends one request through the shared retry policy and decodes a
// JSON answer into out (when not nil).
func (g *githubAPI) call(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return err
		}
	}
	resp, err := g.live.Retry.DoHTTP(ctx, g.live.HTTP, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, g.base+path, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+g.token)
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		req.Header.Set("User-Agent", g.live.UserAgent)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return fmt.Errorf("GitHub did not answer %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var msg struct{ Message string }
		json.Unmarshal(data, &msg)
		return &apiError{Method: method, Path: path, Status: resp.StatusCode, Message: redact.String(msg.Message)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("GitHub's answer to %s %s is not the documented JSON: %w", method, path, err)
		}
	}
	return nil
}

// put follows GitHub's documented steps for each secret: get the public
// key, seal the value to it (libsodium sealed box), PUT it with the key's
// id, then read the secret back for its updated_at.
func (g *githubAPI) put(ctx context.Context, t Target, secrets []secret) ([]RemoteDone, error) {
	var key struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}
	if err := g.call(ctx, http.MethodGet, t.base()+"/public-key", nil, &key); err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(key.Key)
	if err != nil || len(raw) != 32 {
		return nil, fmt.Errorf("the public key of %s is not 32 bytes of base64", t)
	}
	var pub [32]byte
	copy(pub[:], raw)
	var done []RemoteDone
	for _, s := range secrets {
		sealed, err := box.SealAnonymous(nil, []byte(s.value), &pub, rand.Reader)
		if err != nil {
			return done, fmt.Errorf("failed to encrypt %s for %s: %w", s.name, t, err)
		}
		body := map[string]string{"encrypted_value": base64.StdEncoding.EncodeToString(sealed), "key_id": key.KeyID}
		if t.Repo == "" {
			body["visibility"] = g.orgVisibility(ctx, t, s.name)
		}
		path := t.base() + "/" + s.name
		if err := g.call(ctx, http.MethodPut, path, body, nil); err != nil {
			return done, err
		}
		var meta struct {
			UpdatedAt time.Time `json:"updated_at"`
		}
		if err := g.call(ctx, http.MethodGet, path, nil, &meta); err != nil {
			return done, fmt.Errorf("%s in %s was written but could not be read back: %w", s.name, t, err)
		}
		done = append(done, RemoteDone{Target: t, Name: s.name, UpdatedAt: meta.UpdatedAt})
	}
	return done, nil
}

// orgVisibility keeps an existing organisation secret's visibility
// (the PUT requires one); a new secret is private.
func (g *githubAPI) orgVisibility(ctx context.Context, t Target, name string) string {
	var meta struct {
		Visibility string `json:"visibility"`
	}
	if g.call(ctx, http.MethodGet, t.base()+"/"+name, nil, &meta) == nil && meta.Visibility != "" {
		return meta.Visibility
	}
	return "private"
}

// apiError is a GitHub answer other than 2xx.
type apiError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("GitHub answered %s %s with %d %s", e.Method, e.Path, e.Status, e.Message)
}

// githubLogin asks GET /user whose a GitHub token is: the login for
// classic and fine-grained tokens. An app installation token gets 403
// there, which means "not a user's token": ok is then false, no error.
func githubLogin(ctx context.Context, env credential.Env, value string, live token.Live) (login string, ok bool, err error) {
	base := strings.TrimRight(env.Get("GITHUB_API_URL"), "/")
	if base == "" {
		base = "https://api.github.com"
	}
	var user struct {
		Login string `json:"login"`
	}
	err = (&githubAPI{base: base, token: value, live: live}).call(ctx, http.MethodGet, "/user", nil, &user)
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return "", false, nil
	case err != nil:
		return "", false, err
	case user.Login == "":
		return "", false, errors.New("GitHub's answer to GET /user has no login")
	}
	return user.Login, true, nil
}
