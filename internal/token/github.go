package token

import (
	"context"
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/credential"
)

// GitHub is GitHub's API.
type GitHub struct{}

// Name implements Provider.
func (GitHub) Name() string { return "github" }

// Title implements Provider.
func (GitHub) Title() string { return "GitHub" }

// Levels implements Provider: any OAuth scope name, checked against X-OAuth-Scopes.
func (GitHub) Levels() []string { return []string{AnyLevel} }

// AnyLevel in Levels means the provider accepts any level name (GitHub scopes).
const AnyLevel = "*"

// MissingHint implements Provider.
func (GitHub) MissingHint() string {
	return "create a token at https://github.com/settings/tokens and set GH_TOKEN (in Actions, pass secrets.GITHUB_TOKEN or a repository secret)"
}

// Discover implements Provider in the order of the gh CLI: GH_TOKEN, GITHUB_TOKEN, then gh's hosts.yml.
func (GitHub) Discover(env Env) []Credential { return credential.GitHub(env) }

// Format implements Provider, including the CRC-32 checksum of ghp_/gho_/ghu_/ghr_/ghs_ tokens.
func (GitHub) Format(c Credential) []Problem {
	if p := pasteProblems(c, c.Value); p != nil {
		return p
	}
	v := c.Value
	hint := "copy the token again from https://github.com/settings/tokens"
	switch {
	case strings.HasPrefix(v, "github_pat_"):
		body := v[len("github_pat_"):]
		if len(body) != 82 {
			return []Problem{{Fatal: true, Hint: hint,
				Msg: fmt.Sprintf("%s (%s) has %d characters after github_pat_; fine-grained tokens have 82", c.Var, c.Source, len(body))}}
		}
		return nil
	case len(v) > 4 && strings.HasPrefix(v, "gh") && strings.ContainsRune("pousr", rune(v[2])) && v[3] == '_':
		body := v[4:]
		if v[2] == 's' && len(body) != 36 {
			return nil // new installation tokens (ghs_<app>_<JWT>) have no fixed length
		}
		if len(body) != 36 {
			return []Problem{{Fatal: true, Hint: hint,
				Msg: fmt.Sprintf("%s (%s) has %d characters after %s; GitHub tokens have 36 letters and digits", c.Var, c.Source, len(body), v[:4])}}
		}
		if at := firstBad(body, isAlnumByte); at > 0 {
			return []Problem{{Fatal: true, Hint: hint,
				Msg: fmt.Sprintf("%s (%s) has a character that is not a letter or digit at position %d", c.Var, c.Source, 4+at)}}
		}
		if !GitHubChecksumOK(v) {
			return []Problem{{Fatal: true, Hint: hint,
				Msg: fmt.Sprintf("%s (%s) fails GitHub's built-in checksum: a character was changed or mistyped", c.Var, c.Source)}}
		}
		return nil
	case len(v) == 40 && firstBad(v, isHexByte) == 0:
		return []Problem{{Msg: fmt.Sprintf("%s (%s) is an old-format token without a prefix", c.Var, c.Source),
			Hint: "replace it with a fine-grained token at https://github.com/settings/tokens"}}
	}
	return []Problem{{Fatal: true, Hint: hint,
		Msg: fmt.Sprintf("%s (%s) is not a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_ or github_pat_)", c.Var, c.Source)}}
}

// GitHubChecksumOK checks the last 6 characters of a 40-character GitHub
// token: the CRC-32 of the 30 random characters, in base62, zero-padded.
func GitHubChecksumOK(token string) bool {
	if len(token) != 40 {
		return false
	}
	return token[34:] == base62(crc32.ChecksumIEEE([]byte(token[4:34])), 6)
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62 writes n in base 62, left-padded with zeros to width.
func base62(n uint32, width int) string {
	out := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		out[i] = base62Digits[n%62]
		n /= 62
	}
	return string(out)
}

// Validate implements Provider with GET /rate_limit, which costs no quota and
// answers installation tokens too (unlike /user).
func (g GitHub) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := endpoint(live.Env, "GITHUB_API_URL", "https://api.github.com")
	r := Result{Endpoint: base}
	status, header, body, err := live.call(ctx, get(base+"/rate_limit", "Authorization", "Bearer "+c.Value))
	switch {
	case err != nil:
		unreachable(&r, g.Title(), base, err)
		return r
	case status == http.StatusUnauthorized:
		r.Status = Invalid
		r.Reason = "GitHub rejected the token (401 Bad credentials): it was revoked, expired or mistyped"
		r.Hint = "create a token at https://github.com/settings/tokens and update " + c.Var +
			" (in Actions: Settings → Secrets and variables → Actions)"
		return r
	case status != http.StatusOK:
		unexpected(&r, g.Title(), status, body)
		return r
	}
	r.Status = Valid
	if exp := header.Get("GitHub-Authentication-Token-Expiration"); exp != "" {
		for _, layout := range []string{"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700"} {
			if t, err := time.Parse(layout, exp); err == nil {
				r.ExpiresAt = t.UTC()
				break
			}
		}
	}
	scopesHeader, classic := header["X-Oauth-Scopes"]
	var scopes []string
	if classic && len(scopesHeader) > 0 {
		for _, s := range strings.Split(scopesHeader[0], ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
		r.Role = strings.Join(scopes, ",")
	}
	if req.Level != "" {
		switch {
		case !classic:
			r.Notes = append(r.Notes, "GitHub does not report the permissions of fine-grained and app tokens; scope "+req.Level+" not checked")
		case !slices.Contains(scopes, req.Level):
			r.Status = Insufficient
			r.Reason = fmt.Sprintf("the token lacks the %s scope (it has: %s)", req.Level, orNone(r.Role))
			r.Hint = "edit the token at https://github.com/settings/tokens and add the " + req.Level + " scope"
		}
	}
	return r
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func isHexByte(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f'
}
