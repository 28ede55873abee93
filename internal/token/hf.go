package token

import (
	"context"
	"encoding/json"
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

// Validate implements Provider with whoami-v2 and, for a repository, auth-check/write.
func (h HF) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := endpoint(live.Env, "HF_ENDPOINT", "https://huggingface.co")
	r := Result{Endpoint: base}
	status, _, body, err := live.call(ctx, get(base+hub.WhoAmIPath, "Authorization", "Bearer "+c.Value))
	switch {
	case err != nil:
		unreachable(&r, h.Title(), base, err)
		return r
	case status == http.StatusUnauthorized:
		r.Status = Invalid
		r.Reason = "Hugging Face rejected the token (401): it was revoked, expired or mistyped"
		r.Hint = "create a token at https://huggingface.co/settings/tokens, then run `hf auth login` or update " + c.Var
		return r
	case status != http.StatusOK:
		unexpected(&r, h.Title(), status, body)
		return r
	}
	var w hub.WhoAmI
	if err := json.Unmarshal(body, &w); err != nil {
		unexpected(&r, h.Title(), status, body)
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
		h.checkRepo(ctx, c, req, live, base, &r)
	}
	return r
}

// checkRepo asks the Hub whether the token can write to one repository.
func (h HF) checkRepo(ctx context.Context, c Credential, req Requirement, live Live, base string, r *Result) {
	url := base + hub.AuthCheckPath(req.RepoType, req.Repo)
	status, _, body, err := live.call(ctx, get(url, "Authorization", "Bearer "+c.Value))
	switch {
	case err != nil:
		unreachable(r, h.Title(), base, err)
	case status == http.StatusOK:
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
	default:
		unexpected(r, h.Title(), status, body)
	}
}

func isAlnumByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
