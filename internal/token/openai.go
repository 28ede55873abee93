package token

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
)

// OpenAI is the OpenAI API.
type OpenAI struct{}

// Name implements Provider.
func (OpenAI) Name() string { return "openai" }

// Title implements Provider.
func (OpenAI) Title() string { return "OpenAI" }

// Levels implements Provider.
func (OpenAI) Levels() []string { return nil }

// MissingHint implements Provider.
func (OpenAI) MissingHint() string {
	return "create a key at https://platform.openai.com/api-keys and set OPENAI_API_KEY"
}

// Discover implements Provider.
func (OpenAI) Discover(env Env) []Credential { return credential.OpenAI(env) }

// Format implements Provider: every current key form carries the T3BlbkFJ marker.
func (OpenAI) Format(c Credential) []Problem {
	if p := pasteProblems(c, c.Value); p != nil {
		return p
	}
	if !strings.HasPrefix(c.Value, "sk-") {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) does not start with sk-", c.Var, c.Source),
			Hint: "copy a key from https://platform.openai.com/api-keys"}}
	}
	if !strings.Contains(c.Value, "T3BlbkFJ") {
		return []Problem{{Msg: fmt.Sprintf("%s (%s) lacks the marker every OpenAI key has; it may be cut short", c.Var, c.Source),
			Hint: "if the check fails, copy the whole key again"}}
	}
	return nil
}

// Validate implements Provider with GET /models (OPENAI_BASE_URL includes /v1, as in the official clients).
func (o OpenAI) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := endpoint(live.Env, "OPENAI_BASE_URL", "https://api.openai.com/v1")
	return modelsCheck(ctx, live, get(base+"/models", "Authorization", "Bearer "+c.Value),
		o.Title(), base, "openai-organization", "create a key at https://platform.openai.com/api-keys and update "+c.Var)
}

// modelsCheck is the shared check of OpenAI and Anthropic: list the
// models. Both name the key's organisation in a response header (orgHeader),
// the only identity either reports.
func modelsCheck(ctx context.Context, live Live, newReq func(context.Context) (*http.Request, error), title, base, orgHeader, hint string) Result {
	r := Result{Endpoint: base}
	status, header, body, err := live.call(ctx, newReq)
	if err == nil && (status == http.StatusOK || status == http.StatusForbidden) {
		r.Identity = header.Get(orgHeader)
	}
	switch {
	case err != nil:
		unreachable(&r, title, base, err)
	case status == http.StatusUnauthorized:
		r.Status = Invalid
		r.Reason = title + " rejected the key (401): it was revoked or mistyped"
		r.Hint = hint
	case status == http.StatusForbidden:
		r.Status = Valid
		r.Notes = append(r.Notes, "the key is accepted but may not list models (a restricted key?)")
	case status == http.StatusOK:
		r.Status = Valid
	default:
		unexpected(&r, title, status, body)
	}
	return r
}
