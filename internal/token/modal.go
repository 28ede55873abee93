package token

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/modalapi"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// Modal is Modal's control plane (gRPC).
type Modal struct{}

// Name implements Provider.
func (Modal) Name() string { return "modal" }

// Title implements Provider.
func (Modal) Title() string { return "Modal" }

// Levels implements Provider.
func (Modal) Levels() []string { return nil }

// MissingHint implements Provider.
func (Modal) MissingHint() string {
	return "run `modal token new`, or set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET"
}

// ConfigFile is MODAL_CONFIG_PATH, else ~/.modal.toml.
func (Modal) ConfigFile(env Env) string { return credential.ModalConfigFile(env) }

// Discover implements Provider. Like the Modal client, each half may come
// from the environment or the profile independently; the environment wins.
func (Modal) Discover(env Env) []Credential { return credential.Modal(env) }

// Format implements Provider: an ak- id paired with an as- secret.
func (Modal) Format(c Credential) []Problem {
	switch {
	case c.Value == "" && c.Secret != "":
		return []Problem{{Fatal: true, Msg: "a Modal token secret is set (" + c.Source + ") but no token id",
			Hint: "set MODAL_TOKEN_ID too, or run `modal token new`"}}
	case c.Value != "" && c.Secret == "":
		return []Problem{{Fatal: true, Msg: "a Modal token id is set (" + c.Source + ") but no token secret",
			Hint: "set MODAL_TOKEN_SECRET too, or run `modal token new`"}}
	case strings.HasPrefix(c.Value, "as-") && strings.HasPrefix(c.Secret, "ak-"):
		return []Problem{{Fatal: true, Msg: "the Modal token id and secret are swapped (" + c.Source + ")",
			Hint: "MODAL_TOKEN_ID takes the ak-… value and MODAL_TOKEN_SECRET the as-… value"}}
	}
	secret := c
	secret.Var = strings.Replace(strings.Replace(c.Var, "MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET", 1), "token_id", "token_secret", 1)
	secret.Value = c.Secret
	if c.Source == "env MODAL_TOKEN_ID" {
		// Both halves came from the environment: name the secret's own variable.
		secret.Source = "env MODAL_TOKEN_SECRET"
	}
	for _, half := range []struct {
		c      Credential
		prefix string
	}{{c, "ak-"}, {secret, "as-"}} {
		if p := pasteProblems(half.c, half.c.Value); p != nil {
			return p
		}
		if !strings.HasPrefix(half.c.Value, half.prefix) {
			return []Problem{{Fatal: true,
				Msg:  fmt.Sprintf("%s (%s) does not start with %s", half.c.Var, half.c.Source, half.prefix),
				Hint: "copy the pair printed by `modal token new`, or run `modal token set`"}}
		}
		// The length after the prefix is not documented: only the charset is checked.
		if at := firstBad(half.c.Value[3:], isAlnumByte); at > 0 {
			return []Problem{{Fatal: true,
				Msg:  fmt.Sprintf("%s (%s) has a character that is not a letter or digit at position %d", half.c.Var, half.c.Source, 3+at),
				Hint: "copy the pair printed by `modal token new` again"}}
		}
	}
	return nil
}

// Validate implements Provider with TokenInfoGet (ClientHello on older servers).
func (m Modal) Validate(ctx context.Context, c Credential, req Requirement, live Live) Result {
	base := endpoint(live.Env, "MODAL_SERVER_URL", "")
	if base == "" {
		base = "https://api.modal.com"
		if _, p, ok, _ := credential.ModalActiveProfile(live.Env); ok && p.ServerURL != "" {
			base = strings.TrimRight(p.ServerURL, "/")
		}
	}
	r := Result{Endpoint: base}
	var info modalapi.TokenInfo
	var fallback bool
	err := live.Retry.Do(ctx, func(ctx context.Context) error {
		var err error
		info, fallback, err = modalapi.Check(ctx, base, c.Value, c.Secret)
		if err != nil && !modalapi.Transient(err) {
			return retry.Permanent(err)
		}
		return err
	})
	switch {
	case errors.Is(err, modalapi.ErrUnauthenticated):
		r.Status = Invalid
		r.Reason = "Modal rejected the token (UNAUTHENTICATED): it was revoked, expired or mistyped"
		r.Hint = "run `modal token new` (or update MODAL_TOKEN_ID and MODAL_TOKEN_SECRET)"
		return r
	case err != nil:
		unreachable(&r, m.Title(), base, err)
		return r
	}
	r.Status = Valid
	r.Identity = info.WorkspaceName
	if info.Username != "" {
		r.Identity = info.Username + "@" + info.WorkspaceName
	}
	r.Role = info.TokenName
	r.CreatedAt = info.CreatedAt
	r.ExpiresAt = info.ExpiresAt
	if fallback {
		r.Notes = append(r.Notes, "the server does not report token details (older API): only validity was checked")
	}
	return r
}
