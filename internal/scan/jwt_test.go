package scan

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The tokens here are minted by golang-jwt, an implementation this package
// does not share code with, and its parser is the reference for what a
// token's claims are.

// fixedNow pins the clock the JWT inspector judges expiry by.
func fixedNow(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

var testNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func mintHS256(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("a key only this test knows, 32 bytes+"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mintES256(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodES256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func inspectToken(tok, after string) (verdict, detail) {
	text := []byte("TOKEN=" + tok + after)
	return inspectJWT(text, len("TOKEN="), len("TOKEN=")+len(tok))
}

func TestInspectJWT(t *testing.T) {
	fixedNow(t, testNow)
	exp2034 := time.Date(2034, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	cases := []struct {
		name   string
		tok    string
		after  string
		want   verdict
		note   string
		expiry bool
	}{
		{name: "supabase service_role", tok: mintHS256(t, jwt.MapClaims{"iss": "supabase", "ref": "qkzrwtmbnxhvlpdcjfea", "role": "service_role", "iat": 1717171717, "exp": exp2034}),
			want: keepIt, note: "iss supabase, role service_role", expiry: true},
		{name: "supabase anon", tok: mintHS256(t, jwt.MapClaims{"iss": "supabase", "role": "anon", "exp": exp2034}), want: dismiss},
		{name: "supabase demo", tok: mintHS256(t, jwt.MapClaims{"iss": "supabase-demo", "role": "service_role", "exp": 1983812996}), want: dismiss},
		{name: "jwt.io sample", tok: mintHS256(t, jwt.MapClaims{"sub": "1234567890", "name": "John Doe", "iat": 1516239022}), want: dismiss},
		{name: "expired", tok: mintHS256(t, jwt.MapClaims{"sub": "u1", "exp": 1600003600}), want: dismiss},
		{name: "expires this instant", tok: mintHS256(t, jwt.MapClaims{"sub": "u1", "exp": testNow.Unix()}), want: dismiss},
		{name: "issuer and audience only", tok: mintES256(t, jwt.MapClaims{"iss": "https://accounts.google.com", "aud": "1234.apps.googleusercontent.com", "exp": exp2034}), want: dismiss},
		{name: "in-toto statement", tok: mintES256(t, jwt.MapClaims{"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://slsa.dev/provenance/v1"}), want: dismiss},
		{name: "no expiry, a subject", tok: mintHS256(t, jwt.MapClaims{"sub": "8f3a2c1d9e7b", "role": "authenticated"}), want: keepIt, note: "role authenticated"},
		{name: "scope list, issuer URL", tok: mintES256(t, jwt.MapClaims{"iss": "https://auth.example.net/", "scp": []string{"datasets:read", "models:write"}, "exp": exp2034}),
			want: keepIt, note: "iss auth.example.net, scope datasets:read models:write", expiry: true},
		{name: "truncated with dots", tok: mintHS256(t, jwt.MapClaims{"sub": "u1"}), after: "...", want: dismiss},
		{name: "truncated with an ellipsis", tok: mintHS256(t, jwt.MapClaims{"sub": "u1"}), after: "…", want: dismiss},
		{name: "claims with control characters", tok: mintHS256(t, jwt.MapClaims{"sub": "u1", "role": "ad\nmin\x1b[31m"}), want: keepIt, note: "role admin[31m"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, d := inspectToken(c.tok, c.after)
			if v != c.want {
				t.Fatalf("verdict %d, want %d", v, c.want)
			}
			if v != keepIt {
				return
			}
			if d.note != c.note {
				t.Errorf("note %q, want %q", d.note, c.note)
			}
			// The reference reads the same expiry.
			parsed, _, err := jwt.NewParser().ParseUnverified(c.tok, jwt.MapClaims{})
			if err != nil {
				t.Fatal(err)
			}
			exp, err := parsed.Claims.GetExpirationTime()
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case exp == nil && !d.expires.IsZero(), exp != nil && !exp.Time.Equal(d.expires):
				t.Errorf("expires %v, reference %v", d.expires, exp)
			case c.expiry != (exp != nil):
				t.Errorf("case expects expiry %v", c.expiry)
			}
		})
	}
}

// Unsigned tokens (alg none) grant nothing; neither do headers without alg.
func TestInspectJWTUnsigned(t *testing.T) {
	fixedNow(t, testNow)
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "u1"}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	// Give it a signature-shaped third part, as a careless copy might.
	none += "c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2"
	if v, _ := inspectToken(none, ""); v != dismiss {
		t.Errorf("alg none: verdict %d", v)
	}
	noAlg := "eyJ0eXAiOiJKV1QifQ." + strings.Split(mintHS256(t, jwt.MapClaims{"sub": "u1"}), ".")[1] + ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2"
	if v, _ := inspectToken(noAlg, ""); v != dismiss {
		t.Errorf("no alg: verdict %d", v)
	}
}

// Through the engine: the finding carries the expiry and the note, and a
// dismissed token is not reported by the generic rule either.
func TestJWTFindings(t *testing.T) {
	fixedNow(t, testNow)
	e := newEngine(t, Config{})
	live := mintHS256(t, jwt.MapClaims{"iss": "supabase", "role": "service_role", "exp": 2032747717})
	anon := mintHS256(t, jwt.MapClaims{"iss": "supabase", "role": "anon", "exp": 2032747717})
	text := "SUPABASE_SERVICE_ROLE_KEY=" + live + "\napi_token = \"" + anon + "\"\n"
	fs := e.Scan(Fragment{Path: ".env", Content: []byte(text)})
	if len(fs) != 1 || fs[0].RuleID != "jwt" {
		t.Fatalf("findings %v, want one jwt", ruleIDs(fs))
	}
	f := fs[0]
	if f.Secret != live || f.Line != 1 || !f.Expires.Equal(time.Unix(2032747717, 0)) || f.Note != "iss supabase, role service_role" {
		t.Errorf("finding %+v", f)
	}
	if strings.Contains(f.Masked, live[10:]) {
		t.Errorf("masked %q shows the token", f.Masked)
	}
}

// FuzzInspectJWT holds the inspector to golang-jwt's parser: a token it
// keeps, the reference must parse, with the same expiry; and it never
// panics.
func FuzzInspectJWT(f *testing.F) {
	f.Add(mintHS256(f, jwt.MapClaims{"sub": "u1", "exp": 4102444800}))
	f.Add(mintES256(f, jwt.MapClaims{"scope": "a b", "role": "x"}))
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		old := now
		now = func() time.Time { return testNow }
		defer func() { now = old }()
		v, d := inspectToken(tok, "")
		if v != keepIt {
			return
		}
		parsed, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
		if err != nil {
			t.Fatalf("kept a token the reference refuses: %v", err)
		}
		exp, err := parsed.Claims.GetExpirationTime()
		if err != nil {
			return // an exp the reference cannot read (a string): we ignore it too
		}
		if exp != nil && !exp.Time.Equal(d.expires) {
			t.Fatalf("expires %v, reference %v", d.expires, exp.Time)
		}
	})
}
