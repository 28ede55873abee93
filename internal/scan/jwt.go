package scan

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/tokenguard/tokenguard/internal/clock"
)

// now is the clock that decides whether a token has expired: the binaries'
// clock, which the test harness can move; unit tests set it directly.
var now = clock.Now

// authorityClaims say whom a token acts for or what it may do: a token
// with one of them is a bearer credential until it expires. A token with
// none (an id token naming only its issuer and audience, an in-toto
// statement) proves something about itself and grants nothing.
var authorityClaims = []string{"sub", "role", "roles", "scope", "scp", "permissions", "groups", "user_id", "uid", "client_id"}

// jwsAlgs are the signature algorithms of RFC 7518 and RFC 8037. "none"
// is not one: an unsigned token authenticates nothing.
var jwsAlgs = map[string]bool{
	"HS256": true, "HS384": true, "HS512": true, "RS256": true, "RS384": true, "RS512": true,
	"ES256": true, "ES384": true, "ES512": true, "PS256": true, "PS384": true, "PS512": true, "EdDSA": true,
}

// jwtClaims is the part of a payload the inspector reads.
type jwtClaims map[string]any

func (c jwtClaims) str(name string) string {
	s, _ := c[name].(string)
	return s
}

// inspectJWT decodes a compact JWS (RFC 7515) and reports it only when it
// carries a credential. Dismissed: tokens whose header is not JSON naming a
// registered signature algorithm (so also unsigned ones, alg none), truncated ones (followed by "..." or
// "…"), expired ones, documentation samples (the jwt.io token with sub
// 1234567890 or name John Doe; the supabase-demo keys every local Supabase
// prints), public keys by design (Supabase's anon role) and tokens with no
// authority claim. The finding carries the expiry and the role or scope.
func inspectJWT(text []byte, start, end int) (verdict, detail) {
	tok := text[start:end]
	if rest := text[end:min(end+3, len(text))]; bytes.HasPrefix(rest, []byte("...")) || bytes.HasPrefix(rest, []byte("…")) {
		return dismiss, detail{}
	}
	parts := bytes.Split(tok, []byte("."))
	if len(parts) != 3 {
		return dismiss, detail{}
	}
	var header map[string]any
	if err := decodeJSONPart(parts[0], &header); err != nil {
		return dismiss, detail{}
	}
	if alg, _ := header["alg"].(string); !jwsAlgs[alg] {
		return dismiss, detail{}
	}
	var claims jwtClaims
	if err := decodeJSONPart(parts[1], &claims); err != nil {
		return dismiss, detail{}
	}
	if sig, err := base64.RawURLEncoding.DecodeString(string(bytes.TrimRight(parts[2], "="))); err != nil || len(sig) < 16 {
		return dismiss, detail{}
	}
	var d detail
	if exp, ok := claims["exp"].(float64); ok {
		d.expires = time.Unix(int64(exp), 0).UTC()
		if !d.expires.After(now()) {
			return dismiss, detail{}
		}
	}
	if claims.str("sub") == "1234567890" || claims.str("name") == "John Doe" || claims.str("iss") == "supabase-demo" {
		return dismiss, detail{}
	}
	role := claims.str("role")
	if role == "anon" {
		return dismiss, detail{}
	}
	authority := false
	for _, c := range authorityClaims {
		if _, ok := claims[c]; ok {
			authority = true
		}
	}
	if !authority {
		return dismiss, detail{}
	}
	var note []string
	if iss := claims.str("iss"); iss != "" {
		note = append(note, "iss "+issuerName(iss))
	}
	if role != "" {
		note = append(note, "role "+role)
	}
	for _, c := range []string{"scope", "scp"} {
		switch v := claims[c].(type) {
		case string:
			note = append(note, "scope "+v)
		case []any:
			var scopes []string
			for _, x := range v {
				scopes = append(scopes, fmt.Sprint(x))
			}
			note = append(note, "scope "+strings.Join(scopes, " "))
		}
	}
	d.note = clip(strings.Join(note, ", "), 120)
	return keepIt, d
}

// decodeJSONPart decodes one base64url part of a JWT into v; padding is
// tolerated though RFC 7515 omits it.
func decodeJSONPart(part []byte, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(string(bytes.TrimRight(part, "=")))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// issuerName shortens a URL issuer to its host.
func issuerName(iss string) string {
	if u, err := url.Parse(iss); err == nil && u.Host != "" {
		return u.Host
	}
	return iss
}

// clip makes claim text fit one report line: control characters dropped,
// at most n bytes, cut on a rune boundary and marked.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
