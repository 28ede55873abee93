package push

import (
	"context"
	"fmt"

	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/token"
)

// HubResult is the verdict on the Hugging Face token a push would use. Its
// Hint is empty where the command words the next step: Status Unknown
// (whether the push goes on is the command's policy) and a token.Kind.
type HubResult struct {
	Repo hub.RemoteRepo
	token.Result
	// EmbeddedToken means the token sits in the remote URL, in clear text in
	// .git/config: a risk of its own, reported even when the token is valid.
	EmbeddedToken bool
}

const (
	helperSource = "git credential helper"
	helperHint   = "git sends the token its credential helper holds for this host: store a write token there (hf auth login --token <write token> --add-to-git-credential), or remove the old one (git credential reject)"
)

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
// repository, in the order git picks it: the token in the remote URL, else
// the one git's credential helper holds for the remote (helperToken, from
// HelperToken), else the one tokencheck finds (HF_TOKEN, the token file, …),
// which git itself does not read but which the Hub tools log in with and
// usually store in the helper too.
func CheckHub(ctx context.Context, repo hub.RemoteRepo, helperToken string, live token.Live) HubResult {
	r := HubResult{Repo: repo}
	hf := token.HF{}
	var c token.Credential
	if repo.Token != "" {
		redact.Secret(repo.Token)
		c = token.Credential{Provider: "hf", Source: "the remote URL", Var: "the token in the remote URL", Value: repo.Token}
		r.EmbeddedToken = true
	} else if helperToken != "" {
		redact.Secret(helperToken)
		c = token.Credential{Provider: "hf", Source: helperSource, Var: "the token of git's credential helper", Value: helperToken}
	} else if found := hf.Discover(live.Env); len(found) > 0 {
		c = found[0]
		if c.Err != nil { // a token file that cannot be used: name it, do not guess
			r.Provider, r.Source, r.Status, r.Reason, r.Hint = "hf", c.Source, token.Unreadable, c.Err.Error(), c.Err.Hint
			return r
		}
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
			if c.Source == helperSource {
				r.Hint = helperHint
			}
			return r
		}
	}
	v := hf.Validate(ctx, c, token.Requirement{Provider: "hf", Level: "write", Repo: repo.ID, RepoType: repo.Type}, live)
	v.Provider, v.Source, v.Masked, v.Fingerprint = r.Provider, r.Source, r.Masked, r.Fingerprint
	r.Result = v
	if c.Source == helperSource && r.Status != token.Valid && r.Status != token.Unknown && r.Kind == "" {
		r.Hint = helperHint // HF_TOKEN is not what git sends: the helper's token is the one to replace
	}
	if r.Status == token.Unknown {
		// Whether the push goes on is the command's to say (it knows
		// whether it is strict): it words the hint.
		r.Reason = fmt.Sprintf("could not check the token against the Hub: %s", v.Reason)
		r.Hint = ""
	}
	return r
}
