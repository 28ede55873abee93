package token

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
)

// Anthropic is the Anthropic API.
type Anthropic struct{}

// Name implements Provider.
func (Anthropic) Name() string { return "anthropic" }

// Title implements Provider.
func (Anthropic) Title() string { return "Anthropic" }

// Levels implements Provider.
func (Anthropic) Levels() []string { return nil }

// MissingHint implements Provider.
func (Anthropic) MissingHint() string {
	return "create a key at https://console.anthropic.com/settings/keys and set ANTHROPIC_API_KEY"
}

// Discover implements Provider.
func (Anthropic) Discover(env Env) []Credential { return credential.Anthropic(env) }

// Format implements Provider: sk-ant-api03- + 93 characters + AA.
func (Anthropic) Format(c Credential) []Problem {
	if p := pasteProblems(c, c.Value); p != nil {
		return p
	}
	v := c.Value
	switch {
	case !strings.HasPrefix(v, "sk-ant-"):
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) does not start with sk-ant-", c.Var, c.Source),
			Hint: "copy a key from https://console.anthropic.com/settings/keys"}}
	case strings.HasPrefix(v, "sk-ant-admin01-"):
		return []Problem{{Msg: fmt.Sprintf("%s (%s) is an Admin API key; model calls need a regular API key", c.Var, c.Source),
			Hint: "create an API key at https://console.anthropic.com/settings/keys"}}
	case strings.HasPrefix(v, "sk-ant-api03-") && (len(v) != len("sk-ant-api03-")+95 || !strings.HasSuffix(v, "AA")):
		return []Problem{{Msg: fmt.Sprintf("%s (%s) does not have the usual length of an API key; it may be cut short", c.Var, c.Source),
			Hint: "if the check fails, copy the whole key again"}}
	}
	return nil
}

// Validate implements Provider with GET /v1/models.
func (a Anthropic) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := endpoint(live.Env, "ANTHROPIC_BASE_URL", "https://api.anthropic.com")
	url := base + "/v1/models"
	newReq := func(ctx context.Context) (*http.Request, error) {
		req, err := get(url, "x-api-key", c.Value)(ctx)
		if err == nil {
			req.Header.Set("anthropic-version", "2023-06-01")
		}
		return req, err
	}
	return modelsCheck(ctx, live, newReq, a.Title(), base, "anthropic-organization-id",
		"create a key at https://console.anthropic.com/settings/keys and update "+c.Var)
}
