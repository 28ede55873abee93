package tokentest

import (
	"crypto/rand"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"
)

// Account is one credential a fake accepts, and whose it is: a rotation
// test needs an old and a new credential of one user, and one of another.
type Account struct {
	Token  string // the value; Modal's token id
	Secret string // Modal's token secret; empty elsewhere
	// Identity is what the service says the credential belongs to: the
	// GitHub login ("" for an app installation token, which /user refuses),
	// the W&B username, the OpenAI or Anthropic organisation, Modal's
	// "user@workspace".
	Identity string
	// Role is what the credential may do, where the service says so: a
	// classic GitHub token's scopes ("repo, workflow"), Modal's token name.
	// W&B, OpenAI and Anthropic report no role for a key.
	Role string
}

// The identities of the fakes' default accounts.
const (
	DefaultUser      = "alice"
	DefaultOpenAIOrg = "org-tokenguardfakeorg01"
	DefaultAnthropic = "5b3f1c2e-8d4a-4e6f-9a1b-2c3d4e5f6a7b" // organisations are UUIDs
)

// byToken finds the account of a token (and secret, for a pair).
func byToken(accounts []Account, token, secret string) (Account, bool) {
	for _, a := range accounts {
		if a.Token == token && a.Secret == secret && token != "" {
			return a, true
		}
	}
	return Account{}, false
}

// alnum is the alphabet of the random part of most tokens.
const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// NewToken makes a fresh credential in the provider's real format (GitHub's
// checksum included), for a test that needs more than the fixed ones. For
// "modal" it returns the id and the secret; for "github-app" an
// installation token (ghs_); otherwise secret is "".
func NewToken(provider string) (token, secret string, err error) {
	switch provider {
	case "github":
		body := randomFrom(alnum, 30)
		return "ghp_" + body + base62CRC(body), "", nil
	case "github-app":
		body := randomFrom(alnum, 30)
		return "ghs_" + body + base62CRC(body), "", nil
	case "wandb":
		return randomFrom("0123456789abcdef", 40), "", nil
	case "openai":
		return "sk-proj-" + randomFrom(alnum, 74) + "T3BlbkFJ" + randomFrom(alnum, 74), "", nil
	case "anthropic":
		return "sk-ant-api03-" + randomFrom(alnum+"-_", 93) + "AA", "", nil
	case "modal":
		return "ak-" + randomFrom(alnum, 22), "as-" + randomFrom(alnum, 22), nil
	}
	return "", "", fmt.Errorf("no token format for %q (github, github-app, wandb, openai, anthropic, modal)", provider)
}

// base62CRC is the checksum GitHub appends to a token's 30 random
// characters: their CRC-32 in base62, zero-padded to 6.
func base62CRC(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = alnum[n%62]
		n /= 62
	}
	return string(out)
}

// requestLog is what a fake records of each request (method, path,
// status, identity; never a credential), so tests can check that a fake's
// log holds no value either.
type requestLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *requestLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// Log is the fake's request log, one line a request.
func (s *Server) Log() string {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return strings.Join(s.log.lines, "\n")
}
