package token

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
)

// WandB is Weights & Biases.
type WandB struct{}

// Name implements Provider.
func (WandB) Name() string { return "wandb" }

// Title implements Provider.
func (WandB) Title() string { return "W&B" }

// Levels implements Provider.
func (WandB) Levels() []string { return nil }

// MissingHint implements Provider.
func (WandB) MissingHint() string {
	return "get a key at https://wandb.ai/authorize, then run `wandb login` or set WANDB_API_KEY"
}

func (WandB) base(env Env) string { return endpoint(env, "WANDB_BASE_URL", "https://api.wandb.ai") }

// Discover implements Provider: WANDB_API_KEY, then the netrc entry for the API host.
func (WandB) Discover(env Env) []Credential { return credential.WandB(env) }

// netrcPassword returns the password of machine host in a netrc file, or "",
// and an error when the file is malformed.
func netrcPassword(data []byte, host string) (string, error) {
	pw, err := credential.NetrcPassword(data, host)
	if err != nil {
		return "", err
	}
	return pw, nil
}

// Format implements Provider: 40 hex digits (optionally after a server
// prefix such as local-), or the newer wandb_v1_ keys.
func (WandB) Format(c Credential) []Problem {
	if p := pasteProblems(c, c.Value); p != nil {
		return p
	}
	v := c.Value
	if strings.HasPrefix(v, "wandb_v1_") {
		return nil
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		v = v[i+1:] // self-hosted servers prefix keys, e.g. local-<40 hex>
	}
	if len(v) != 40 || firstBad(v, isHexByte) > 0 {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) is not a W&B API key (40 hex digits or wandb_v1_…)", c.Var, c.Source),
			Hint: "copy the key again from https://wandb.ai/authorize"}}
	}
	return nil
}

// Validate implements Provider with the GraphQL viewer query: a key is valid
// exactly when data.viewer is not null.
func (w WandB) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := w.base(live.Env)
	r := Result{Endpoint: base}
	newReq := func(ctx context.Context) (*http.Request, error) {
		body := strings.NewReader(`{"query":"query Viewer { viewer { id username } }"}`)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", body)
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth("api", c.Value)
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	}
	status, _, body, err := live.call(ctx, newReq)
	invalid := func() Result {
		r.Status = Invalid
		r.Reason = "W&B rejected the API key"
		r.Hint = "get a key at https://wandb.ai/authorize, then run `wandb login --relogin` or update " + c.Var
		return r
	}
	switch {
	case err != nil:
		unreachable(&r, w.Title(), base, err)
		return r
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return invalid()
	case status != http.StatusOK:
		unexpected(&r, w.Title(), status, body)
		return r
	}
	var answer struct {
		Data struct {
			Viewer *struct {
				Username string `json:"username"`
			} `json:"viewer"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		unexpected(&r, w.Title(), status, body)
		return r
	}
	if answer.Data.Viewer == nil {
		return invalid()
	}
	r.Status = Valid
	r.Identity = answer.Data.Viewer.Username
	return r
}
