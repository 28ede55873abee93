package token

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/hub"
)

// HF is the Hugging Face Hub.
type HF struct{}

// Name implements Provider.
func (HF) Name() string { return "hf" }

// Title implements Provider.
func (HF) Title() string { return "Hugging Face" }

// Levels implements Provider.
func (HF) Levels() []string { return []string{"read", "write"} }

// MissingHint implements Provider.
func (HF) MissingHint() string {
	return "create a token at https://huggingface.co/settings/tokens, then run `hf auth login` or set HF_TOKEN"
}

// TokenFile is where huggingface_hub keeps the login token: HF_TOKEN_PATH,
// else $HF_HOME/token, HF_HOME defaulting to $XDG_CACHE_HOME/huggingface.
func (HF) TokenFile(env Env) string { return credential.HFTokenFile(env) }

// Discover implements Provider, in huggingface_hub's order.
func (HF) Discover(env Env) []Credential { return credential.HF(env) }

// Format implements Provider: hf_ + 34 letters and digits (api_org_ + 34, deprecated).
func (HF) Format(c Credential) []Problem {
	if p := pasteProblems(c, c.Value); p != nil {
		return p
	}
	v := c.Value
	prefix := "hf_"
	if strings.HasPrefix(v, "api_org_") {
		prefix = "api_org_"
	}
	if !strings.HasPrefix(v, prefix) {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) does not start with hf_", c.Var, c.Source),
			Hint: "copy a user access token from https://huggingface.co/settings/tokens"}}
	}
	body := v[len(prefix):]
	if len(body) != 34 {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) has %d characters after %s; Hugging Face tokens have 34", c.Var, c.Source, len(body), prefix),
			Hint: "the token was cut or has extra characters: copy it again from https://huggingface.co/settings/tokens"}}
	}
	if at := firstBad(body, isAlnumByte); at > 0 {
		return []Problem{{Fatal: true,
			Msg:  fmt.Sprintf("%s (%s) has a character that is not a letter or digit at position %d", c.Var, c.Source, len(prefix)+at),
			Hint: "copy the token again from https://huggingface.co/settings/tokens"}}
	}
	if prefix == "api_org_" {
		return []Problem{{Msg: fmt.Sprintf("%s (%s) is a deprecated organization token", c.Var, c.Source),
			Hint: "organization tokens are being phased out: use a fine-grained user token with access to the organization"}}
	}
	return nil
}

// Validate implements Provider with whoami-v2 and, for a repository,
// auth-check/write, both asked through the hub client.
func (h HF) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := hub.Endpoint(live.Env.Get("HF_ENDPOINT"))
	r := Result{Endpoint: base}
	client := &hub.Client{Endpoint: base, Token: c.Value, Retry: live.Retry, UserAgent: live.UserAgent}
	w, err := client.WhoAmI(ctx)
	switch status, msg := hubAnswer(err); {
	case err == nil:
	case status == http.StatusUnauthorized:
		r.Status = Invalid
		r.Reason = "Hugging Face rejected the token (401): it was revoked, expired or mistyped"
		r.Hint = "create a token at https://huggingface.co/settings/tokens, then run `hf auth login` or update " + c.Var
		return r
	case status != 0:
		unexpected(&r, h.Title(), status, []byte(msg))
		return r
	default:
		unreachable(&r, h.Title(), base, err)
		return r
	}
	r.Status = Valid
	r.Identity = w.Name
	r.Role = w.Auth.AccessToken.Role
	r.CreatedAt = w.Auth.AccessToken.CreatedAt
	r.ExpiresAt = w.Auth.ExpiresAt
	if len(w.Orgs) > 0 {
		names := make([]string, len(w.Orgs))
		for i, o := range w.Orgs {
			names[i] = o.Name
		}
		r.Notes = append(r.Notes, "member of "+strings.Join(names, ", "))
	}
	if req.Level == "write" && req.Repo == "" && !w.CanWrite() {
		r.Status = Insufficient
		r.Reason = fmt.Sprintf("the token's role is %s; the job needs write access", r.Role)
		r.Hint = "create a write token (or a fine-grained token with repo.write) at https://huggingface.co/settings/tokens"
	}
	if req.Repo != "" {
		h.checkRepo(ctx, client, c, req, &r)
	}
	return r
}

// hubAnswer reads what the Hub answered from a hub client error: the
// status and the Hub's words for an answer other than success, 200 and the
// reason for a success whose body could not be read, and 0 when the Hub
// did not answer at all (network, retries used up).
func hubAnswer(err error) (status int, msg string) {
	var he *hub.Error
	switch {
	case errors.As(err, &he):
		return he.StatusCode, he.Message
	case errors.Is(err, hub.ErrBadAnswer):
		return http.StatusOK, err.Error()
	}
	return 0, ""
}

// checkRepo asks the Hub whether the token can write to one repository.
func (h HF) checkRepo(ctx context.Context, client *hub.Client, c Credential, req Requirement, r *Result) {
	err := client.AuthCheck(ctx, req.RepoType, req.Repo)
	switch status, msg := hubAnswer(err); {
	case err == nil:
	case status == http.StatusUnauthorized:
		r.Status = Invalid
		r.Reason = "Hugging Face rejected the token (401) on the repository check"
		r.Hint = "create a token at https://huggingface.co/settings/tokens, then run `hf auth login` or update " + c.Var
	case status == http.StatusForbidden:
		r.Status = Insufficient
		r.Reason = fmt.Sprintf("the token cannot write to %s %s", req.RepoType, req.Repo)
		r.Hint = "use a write token, or give the fine-grained token repo.write on " + req.Repo + " at https://huggingface.co/settings/tokens"
	case status == http.StatusNotFound:
		r.Status = Insufficient
		r.Reason = fmt.Sprintf("%s %s does not exist or is not visible to this token", req.RepoType, req.Repo)
		r.Kind = KindRepoNotFound
	case status != 0:
		unexpected(r, h.Title(), status, []byte(msg))
	default:
		unreachable(r, h.Title(), r.Endpoint, err)
	}
}

func isAlnumByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
