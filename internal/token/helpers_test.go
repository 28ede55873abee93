package token

import (
	"context"
	"hash/crc32"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// Test tokens are assembled at run time so that these files hold nothing
// token-shaped for secret scanners (ours included) to flag.

// alnum returns n letters and digits, varied so no charset check passes by accident.
func alnum(n int) string {
	return strings.Repeat("aB3xY7kQ9m", n/10+1)[:n]
}

// hex40 is a legacy W&B key shape: 40 lowercase hex digits.
func hex40() string { return strings.Repeat("0123456789abcdef", 3)[:40] }

func hfToken() string                              { return "hf_" + alnum(34) }
func openaiKey() string                            { return "sk-proj-" + alnum(20) + "T3BlbkFJ" + alnum(20) }
func anthropicKey() string                         { return "sk-ant-api03-" + alnum(93) + "AA" }
func modalID() string                              { return "ak-" + alnum(22) }
func modalSecret() string                          { return "as-" + alnum(22) }
func githubPAT() string                            { return "github_pat_" + alnum(22) + "_" + alnum(59) }
func wandbV1() string                              { return "wandb_v1_" + alnum(60) }
func noSleep(context.Context, time.Duration) error { return nil }

// githubToken builds a classic GitHub token whose checksum is right: the
// CRC-32 of the 30 random characters, in base62 with the alphabet 0-9A-Za-z.
// It is computed here with math/big rather than with the package's base62,
// so a mistake there cannot cancel out.
func githubToken(prefix, random30 string) string {
	// big.Int writes base 62 as 0-9a-zA-Z; GitHub's alphabet has the cases swapped.
	s := new(big.Int).SetUint64(uint64(crc32.ChecksumIEEE([]byte(random30)))).Text(62)
	swapped := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		case 'A' <= r && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
	return prefix + random30 + strings.Repeat("0", 6-len(swapped)) + swapped
}

// flip changes the character at i to another letter or digit.
func flip(s string, i int) string {
	c := byte('a')
	if s[i] == 'a' {
		c = 'b'
	}
	return s[:i] + string(c) + s[i+1:]
}

// cred is a credential read from the environment variable name.
func cred(provider, name, value string) Credential {
	return Credential{Provider: provider, Source: "env " + name, Var: name, Value: value}
}

// mapEnv is an Env reading variables from m and with a fresh home directory.
func mapEnv(t testing.TB, m map[string]string) Env {
	return Env{Getenv: func(k string) string { return m[k] }, Home: t.TempDir()}
}

// writeFile writes data under dir, creating parent directories.
func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// endpointVars are the variables that point each provider at a fake.
var endpointVars = map[string]string{
	"hf": "HF_ENDPOINT", "modal": "MODAL_SERVER_URL", "github": "GITHUB_API_URL",
	"wandb": "WANDB_BASE_URL", "openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL",
}

// validEnv are the variables holding a credential each fake accepts.
func validEnv(provider string) map[string]string {
	switch provider {
	case "hf":
		return map[string]string{"HF_TOKEN": hubtest.TokenWrite}
	case "modal":
		return map[string]string{"MODAL_TOKEN_ID": tokentest.ModalTokenID, "MODAL_TOKEN_SECRET": tokentest.ModalTokenSecret}
	case "github":
		return map[string]string{"GH_TOKEN": tokentest.GitHubClassic}
	case "wandb":
		return map[string]string{"WANDB_API_KEY": tokentest.WandBKey}
	case "openai":
		return map[string]string{"OPENAI_API_KEY": tokentest.OpenAIKey}
	case "anthropic":
		return map[string]string{"ANTHROPIC_API_KEY": tokentest.AnthropicKey}
	}
	panic("unknown provider " + provider)
}

// allValues lists every credential value the fakes accept, to check that
// none of them shows up where it must not.
func allValues() []string {
	return []string{
		hubtest.TokenWrite, hubtest.TokenRead, hubtest.TokenFineGrainedWrite, hubtest.TokenFineGrainedRead,
		tokentest.ModalTokenID, tokentest.ModalTokenSecret, tokentest.GitHubClassic, tokentest.GitHubFineGrained,
		tokentest.WandBKey, tokentest.WandBKeyV1, tokentest.OpenAIKey, tokentest.AnthropicKey,
	}
}

// startFake starts the fake of provider with behaviour and stops it when t ends.
func startFake(t testing.TB, provider, behaviour string) *tokentest.Server {
	t.Helper()
	var (
		s   *tokentest.Server
		err error
	)
	switch provider {
	case "hf":
		s, err = hubtest.New(behaviour)
	case "modal":
		s, err = tokentest.NewModal(behaviour)
	case "github":
		s, err = tokentest.NewGitHub(behaviour)
	case "wandb":
		s, err = tokentest.NewWandB(behaviour)
	case "openai":
		s, err = tokentest.NewOpenAI(behaviour)
	case "anthropic":
		s, err = tokentest.NewAnthropic(behaviour)
	default:
		t.Fatalf("unknown provider %s", provider)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// newChecker is a Checker on env with no real sleeps between retries and a
// logger whose entries the returned hook records.
func newChecker(t testing.TB, env map[string]string) (*Checker, *logtest.Hook) {
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	return &Checker{
		Env:     mapEnv(t, env),
		HTTP:    &http.Client{},
		Retry:   retry.Policy{Sleep: noSleep},
		Log:     log,
		Timeout: 10 * time.Second,
		Now:     time.Now,
	}, hook
}

// merge returns the union of maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
