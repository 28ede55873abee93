package token

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

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

// modalProfile is one table of ~/.modal.toml.
type modalProfile struct {
	TokenID     string `toml:"token_id"`
	TokenSecret string `toml:"token_secret"`
	Active      bool   `toml:"active"`
	ServerURL   string `toml:"server_url"`
}

// ConfigFile is MODAL_CONFIG_PATH, else ~/.modal.toml.
func (Modal) ConfigFile(env Env) string {
	if p := env.Get("MODAL_CONFIG_PATH"); p != "" {
		return p
	}
	return filepath.Join(env.Home, ".modal.toml")
}

// profile picks the profile the Modal client would use: MODAL_PROFILE, else
// the one marked active, else "default". It returns its name and contents.
func (m Modal) profile(env Env) (string, modalProfile, bool) {
	var profiles map[string]modalProfile
	if _, err := toml.DecodeFile(m.ConfigFile(env), &profiles); err != nil {
		return "", modalProfile{}, false
	}
	name := env.Get("MODAL_PROFILE")
	if name == "" {
		names := make([]string, 0, len(profiles))
		for n := range profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		name = "default"
		for _, n := range names {
			if profiles[n].Active {
				name = n
				break
			}
		}
	}
	p, ok := profiles[name]
	return name, p, ok
}

// Discover implements Provider. Like the Modal client, each half may come
// from the environment or the profile independently; the environment wins.
func (m Modal) Discover(env Env) []Credential {
	envID, envSecret := env.Get("MODAL_TOKEN_ID"), env.Get("MODAL_TOKEN_SECRET")
	name, p, ok := m.profile(env)
	fileSource := fmt.Sprintf("%s profile %q", env.Pretty(m.ConfigFile(env)), name)
	var found []Credential
	if envID != "" || envSecret != "" {
		c := Credential{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: envID, Secret: envSecret}
		if envID == "" && ok {
			c.Value, c.Source = p.TokenID, fileSource+" + env MODAL_TOKEN_SECRET"
		}
		if envSecret == "" && ok {
			c.Secret, c.Source = p.TokenSecret, "env MODAL_TOKEN_ID + "+fileSource
		}
		found = append(found, c)
	}
	if ok && (p.TokenID != "" || p.TokenSecret != "") {
		c := Credential{Provider: "modal", Source: fileSource, Var: "token_id in " + fileSource, Value: p.TokenID, Secret: p.TokenSecret}
		if fi, err := os.Stat(m.ConfigFile(env)); err == nil {
			c.ModTime = fi.ModTime()
		}
		found = append(found, c)
	}
	return found
}

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
	for _, half := range []struct {
		c      Credential
		prefix string
	}{{c, "ak-"}, {secret, "as-"}} {
		if p := pasteProblems(half.c, half.c.Value); p != nil {
			return p
		}
		if !strings.HasPrefix(half.c.Value, half.prefix) {
			return []Problem{{Fatal: true,
				Msg:  fmt.Sprintf("%s (%s) does not start with %s", half.c.Var, c.Source, half.prefix),
				Hint: "copy the pair printed by `modal token new`, or run `modal token set`"}}
		}
		// The length after the prefix is not documented: only the charset is checked.
		if at := firstBad(half.c.Value[3:], isAlnumByte); at > 0 {
			return []Problem{{Fatal: true,
				Msg:  fmt.Sprintf("%s (%s) has a character that is not a letter or digit at position %d", half.c.Var, c.Source, 3+at),
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
		if _, p, ok := m.profile(live.Env); ok && p.ServerURL != "" {
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
