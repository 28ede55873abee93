package push

import (
	"context"
	"fmt"

	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/token"
)

// HubResult is the verdict on the Hugging Face token a push would use.
type HubResult struct {
	Repo HubRepo
	token.Result
	// EmbeddedToken means the token sits in the remote URL, in clear text in
	// .git/config: a risk of its own, reported even when the token is valid.
	EmbeddedToken bool
}

// Blocking reports whether the result stops the push; unreachable blocks
// only when strict.
func (h HubResult) Blocking(strict bool) bool {
	switch h.Status {
	case token.Valid:
		return false
	case token.Unknown:
		return strict
	}
	return true
}

// CheckHub checks that the token the push would use can write to the
// repository: the token in the remote URL if there is one (git sends it),
// else the one tokencheck finds (HF_TOKEN, the token file, …).
func CheckHub(ctx context.Context, repo HubRepo, live token.Live) HubResult {
	r := HubResult{Repo: repo}
	hf := token.HF{}
	var c token.Credential
	if repo.Token != "" {
		redact.Secret(repo.Token)
		c = token.Credential{Provider: "hf", Source: "the remote URL", Var: "the token in the remote URL", Value: repo.Token}
		r.EmbeddedToken = true
	} else if found := hf.Discover(live.Env); len(found) > 0 {
		c = found[0]
		redact.Secret(c.Value)
	} else {
		r.Status = token.Missing
		r.Reason = "no Hugging Face token found for the push"
		r.Hint = hf.MissingHint()
		return r
	}
	r.Provider, r.Source, r.Masked, r.Fingerprint = "hf", c.Source, c.Masked(), c.Fingerprint()
	for _, p := range hf.Format(c) {
		if p.Fatal {
			r.Status, r.Reason, r.Hint = token.Invalid, p.Msg, p.Hint
			return r
		}
	}
	v := hf.Validate(ctx, c, token.Requirement{Provider: "hf", Level: "write", Repo: repo.ID, RepoType: repo.Type}, live)
	v.Provider, v.Source, v.Masked, v.Fingerprint = r.Provider, r.Source, r.Masked, r.Fingerprint
	r.Result = v
	if r.Status == token.Unknown {
		r.Reason = fmt.Sprintf("could not check the token against the Hub: %s", v.Reason)
		r.Hint = "the push goes on; use --strict to block it when the Hub cannot be reached"
	}
	return r
}
