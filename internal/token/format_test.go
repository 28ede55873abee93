package token

import (
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// formatCase is one credential and the problem Format must find in it.
type formatCase struct {
	name  string
	p     Provider
	c     Credential
	msg   string // a substring of the one problem's Msg; "" means no problem
	fatal bool
}

func runFormatCases(t *testing.T, cases []formatCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.p.Name()+"/"+tc.name, func(t *testing.T) {
			probs := tc.p.Format(tc.c)
			if tc.msg == "" {
				if len(probs) != 0 {
					t.Fatalf("Format = %+v, want no problem", probs)
				}
				return
			}
			if len(probs) != 1 {
				t.Fatalf("Format = %+v, want one problem containing %q", probs, tc.msg)
			}
			p := probs[0]
			if p.Fatal != tc.fatal {
				t.Errorf("Fatal = %v, want %v (%s)", p.Fatal, tc.fatal, p.Msg)
			}
			if !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("Msg = %q, want it to contain %q", p.Msg, tc.msg)
			}
			if p.Hint == "" {
				t.Errorf("problem %q has no hint", p.Msg)
			}
			for _, v := range []string{tc.c.Value, tc.c.Secret} {
				if len(v) >= 8 && strings.Contains(p.Msg+p.Hint, v) {
					t.Errorf("problem %q / %q shows the value", p.Msg, p.Hint)
				}
			}
		})
	}
}

// TestPasteProblems covers what goes wrong when a value is pasted by hand,
// through a provider that has no other checks in the way.
func TestPasteProblems(t *testing.T) {
	tok := hfToken()
	hf := func(v string) Credential { return cred("hf", "HF_TOKEN", v) }
	runFormatCases(t, []formatCase{
		{name: "empty", p: HF{}, c: hf(""), msg: "HF_TOKEN is empty", fatal: true},
		{name: "double quotes", p: HF{}, c: hf(`"` + tok + `"`), msg: "HF_TOKEN (env HF_TOKEN) has quotes around the value", fatal: true},
		{name: "single quotes", p: HF{}, c: hf("'" + tok + "'"), msg: "has quotes", fatal: true},
		{name: "unbalanced quote", p: HF{}, c: hf(`"` + tok), msg: "does not start with hf_", fatal: true},
		{name: "trailing newline", p: HF{}, c: hf(tok + "\n"), msg: "has whitespace before or after the value", fatal: true},
		{name: "leading space", p: HF{}, c: hf(" " + tok), msg: "whitespace before or after", fatal: true},
		{name: "only spaces", p: HF{}, c: hf("   "), msg: "whitespace before or after", fatal: true},
		{name: "quotes then space", p: HF{}, c: hf(`"` + tok + `" `), msg: "whitespace", fatal: true},
		{name: "inner space", p: HF{}, c: hf(tok[:10] + " " + tok[10:]), msg: "space or control character at position 11", fatal: true},
		{name: "two tokens", p: HF{}, c: hf(tok + "\t" + tok), msg: "at position 38", fatal: true},
		{name: "control char", p: HF{}, c: hf(tok[:5] + "\x00" + tok[5:]), msg: "control character at position 6", fatal: true},
		{name: "escape", p: HF{}, c: hf("\x1b[0m" + tok), msg: "control character at position 1", fatal: true},
		{name: "no-break space", p: HF{}, c: hf(tok[:4] + "\u00a0" + tok[4:]), msg: "position 5", fatal: true},
		{name: "zero-width space", p: HF{}, c: hf(tok[:4] + "\u200b" + tok[4:]), msg: "control character at position 5", fatal: true},
	})
}

func TestWrongProvider(t *testing.T) {
	gh := githubToken("ghp_", alnum(30))
	runFormatCases(t, []formatCase{
		{name: "ghp in HF_TOKEN", p: HF{}, c: cred("hf", "HF_TOKEN", gh),
			msg: "HF_TOKEN (env HF_TOKEN) holds a GitHub token (ghp_…" + gh[len(gh)-4:] + "), not a Hugging Face one", fatal: true},
		{name: "hf in GH_TOKEN", p: GitHub{}, c: cred("github", "GH_TOKEN", hfToken()), msg: "holds a Hugging Face token", fatal: true},
		{name: "anthropic in OPENAI_API_KEY", p: OpenAI{}, c: cred("openai", "OPENAI_API_KEY", anthropicKey()), msg: "holds a Anthropic token", fatal: true},
		{name: "openai in ANTHROPIC_API_KEY", p: Anthropic{}, c: cred("anthropic", "ANTHROPIC_API_KEY", openaiKey()), msg: "holds a OpenAI token", fatal: true},
		{name: "wandb_v1 in HF_TOKEN", p: HF{}, c: cred("hf", "HF_TOKEN", wandbV1()), msg: "holds a W&B token", fatal: true},
		{name: "modal id in WANDB_API_KEY", p: WandB{}, c: cred("wandb", "WANDB_API_KEY", modalID()), msg: "holds a Modal token", fatal: true},
		{name: "github_pat in OPENAI_API_KEY", p: OpenAI{}, c: cred("openai", "OPENAI_API_KEY", githubPAT()), msg: "holds a GitHub token", fatal: true},
		{name: "hf in MODAL_TOKEN_ID", p: Modal{}, c: Credential{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: hfToken(), Secret: modalSecret()},
			msg: "MODAL_TOKEN_ID (env MODAL_TOKEN_ID) holds a Hugging Face token", fatal: true},
		{name: "openai in MODAL_TOKEN_SECRET", p: Modal{}, c: Credential{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: modalID(), Secret: openaiKey()},
			msg: "MODAL_TOKEN_SECRET (env MODAL_TOKEN_SECRET) holds a OpenAI token", fatal: true},
	})
}

func TestHFFormat(t *testing.T) {
	hf := func(v string) Credential { return cred("hf", "HF_TOKEN", v) }
	runFormatCases(t, []formatCase{
		{name: "valid", p: HF{}, c: hf(hfToken())},
		{name: "digits only", p: HF{}, c: hf("hf_" + strings.Repeat("7", 34))},
		{name: "org token", p: HF{}, c: hf("api_org_" + alnum(34)), msg: "deprecated organization token"},
		{name: "upper-case prefix", p: HF{}, c: hf("HF_" + alnum(34)), msg: "does not start with hf_", fatal: true},
		{name: "no prefix", p: HF{}, c: hf(alnum(37)), msg: "does not start with hf_", fatal: true},
		{name: "short", p: HF{}, c: hf("hf_" + alnum(33)), msg: "has 33 characters after hf_; Hugging Face tokens have 34", fatal: true},
		{name: "long", p: HF{}, c: hf("hf_" + alnum(35)), msg: "has 35 characters after hf_", fatal: true},
		{name: "org short", p: HF{}, c: hf("api_org_" + alnum(10)), msg: "has 10 characters after api_org_", fatal: true},
		{name: "bad char", p: HF{}, c: hf("hf_" + alnum(20) + "-" + alnum(13)), msg: "not a letter or digit at position 24", fatal: true},
		{name: "from file", p: HF{}, c: Credential{Provider: "hf", Source: "file ~/.cache/huggingface/token", Var: "the HF token file", Value: "hf_" + alnum(3)},
			msg: "the HF token file (file ~/.cache/huggingface/token) has 3 characters", fatal: true},
	})
}

func TestGitHubFormat(t *testing.T) {
	random := alnum(30)
	good := githubToken("ghp_", random)
	gh := func(v string) Credential { return cred("github", "GH_TOKEN", v) }
	cases := []formatCase{
		{name: "fake's classic token", p: GitHub{}, c: gh(tokentest.GitHubClassic)},
		{name: "fake's fine-grained token", p: GitHub{}, c: gh(tokentest.GitHubFineGrained)},
		{name: "built ghp", p: GitHub{}, c: gh(good)},
		{name: "checksum flipped", p: GitHub{}, c: gh(flip(good, 39)), msg: "fails GitHub's built-in checksum", fatal: true},
		{name: "random part flipped", p: GitHub{}, c: gh(flip(good, 10)), msg: "fails GitHub's built-in checksum", fatal: true},
		{name: "short", p: GitHub{}, c: gh(good[:39]), msg: "has 35 characters after ghp_; GitHub tokens have 36", fatal: true},
		{name: "long", p: GitHub{}, c: gh(good + "x"), msg: "has 37 characters after ghp_", fatal: true},
		{name: "bad char", p: GitHub{}, c: gh(good[:20] + "-" + good[21:]), msg: "GH_TOKEN (env GH_TOKEN) has a character that is not a letter or digit at position 21", fatal: true},
		{name: "new-style ghs", p: GitHub{}, c: gh("ghs_12345_" + "eyJ" + alnum(200) + "." + alnum(300) + "." + alnum(40))},
		{name: "old-style ghs", p: GitHub{}, c: gh(githubToken("ghs_", random))},
		{name: "old-style ghs bad checksum", p: GitHub{}, c: gh(flip(githubToken("ghs_", random), 38)), msg: "checksum", fatal: true},
		{name: "pat short", p: GitHub{}, c: gh("github_pat_" + alnum(81)), msg: "has 81 characters after github_pat_; fine-grained tokens have 82", fatal: true},
		{name: "pat long", p: GitHub{}, c: gh("github_pat_" + alnum(83)), msg: "has 83 characters after github_pat_", fatal: true},
		{name: "pat built", p: GitHub{}, c: gh(githubPAT())},
		{name: "old 40 hex", p: GitHub{}, c: gh(hex40()), msg: "old-format token without a prefix"},
		{name: "junk", p: GitHub{}, c: gh("not-a-token-at-all"), msg: "is not a GitHub token", fatal: true},
		{name: "prefix only", p: GitHub{}, c: gh("ghp_"), msg: "is not a GitHub token", fatal: true},
	}
	for _, prefix := range []string{"ghp_", "gho_", "ghu_", "ghr_"} {
		tok := githubToken(prefix, random)
		cases = append(cases,
			formatCase{name: prefix + " good", p: GitHub{}, c: gh(tok)},
			formatCase{name: prefix + " bad", p: GitHub{}, c: gh(flip(tok, 35)), msg: "checksum", fatal: true})
	}
	runFormatCases(t, cases)
}

func TestGitHubChecksumOK(t *testing.T) {
	for i := range 200 {
		// Vary the random part so checksums with leading zeros occur too.
		random := alnum(30)
		random = random[:i%30] + string(base62Digits[i%62]) + random[i%30+1:]
		tok := githubToken("ghp_", random)
		if !GitHubChecksumOK(tok) {
			t.Fatalf("GitHubChecksumOK(%s…) = false for a correct checksum", tok[:8])
		}
		for _, at := range []int{4, 20, 33, 34, 39} {
			if GitHubChecksumOK(flip(tok, at)) {
				t.Fatalf("GitHubChecksumOK accepts a token with position %d changed", at)
			}
		}
	}
	if !GitHubChecksumOK(tokentest.GitHubClassic) {
		t.Error("GitHubChecksumOK rejects the fake's classic token")
	}
	for _, bad := range []string{"", "ghp_", "ghp_" + alnum(35), "ghp_" + alnum(37)} {
		if GitHubChecksumOK(bad) {
			t.Errorf("GitHubChecksumOK(%d chars) = true", len(bad))
		}
	}
}

func TestModalFormat(t *testing.T) {
	id, secret := modalID(), modalSecret()
	env := func(id, secret string) Credential {
		return Credential{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: id, Secret: secret}
	}
	file := Credential{Provider: "modal", Source: `~/.modal.toml profile "default"`,
		Var: `token_id in ~/.modal.toml profile "default"`, Value: id, Secret: "xs-" + alnum(22)}
	runFormatCases(t, []formatCase{
		{name: "valid", p: Modal{}, c: env(id, secret)},
		{name: "fake's pair", p: Modal{}, c: env(tokentest.ModalTokenID, tokentest.ModalTokenSecret)},
		{name: "other length", p: Modal{}, c: env("ak-"+alnum(5), "as-"+alnum(40))},
		{name: "id without secret", p: Modal{}, c: env(id, ""), msg: "a Modal token id is set (env MODAL_TOKEN_ID) but no token secret", fatal: true},
		{name: "secret without id", p: Modal{}, c: env("", secret), msg: "a Modal token secret is set (env MODAL_TOKEN_ID) but no token id", fatal: true},
		{name: "both empty", p: Modal{}, c: env("", ""), msg: "MODAL_TOKEN_ID is empty", fatal: true},
		{name: "swapped", p: Modal{}, c: env(secret, id), msg: "the Modal token id and secret are swapped", fatal: true},
		{name: "id bad prefix", p: Modal{}, c: env("ax-"+alnum(22), secret), msg: "MODAL_TOKEN_ID (env MODAL_TOKEN_ID) does not start with ak-", fatal: true},
		{name: "two ids", p: Modal{}, c: env(id, id), msg: "MODAL_TOKEN_SECRET (env MODAL_TOKEN_SECRET) does not start with as-", fatal: true},
		{name: "two secrets", p: Modal{}, c: env(secret, secret), msg: "MODAL_TOKEN_ID (env MODAL_TOKEN_ID) does not start with ak-", fatal: true},
		{name: "secret bad prefix in file", p: Modal{}, c: file, msg: `token_secret in ~/.modal.toml profile "default" (~/.modal.toml profile "default") does not start with as-`, fatal: true},
		{name: "bad char", p: Modal{}, c: env("ak-"+alnum(5)+"_"+alnum(5), secret), msg: "not a letter or digit at position 9", fatal: true},
		{name: "secret quoted", p: Modal{}, c: env(id, `"`+secret+`"`), msg: "MODAL_TOKEN_SECRET (env MODAL_TOKEN_SECRET) has quotes", fatal: true},
		{name: "secret trailing newline", p: Modal{}, c: env(id, secret+"\n"), msg: "MODAL_TOKEN_SECRET (env MODAL_TOKEN_SECRET) has whitespace", fatal: true},
	})
}

func TestWandBFormat(t *testing.T) {
	wb := func(v string) Credential { return cred("wandb", "WANDB_API_KEY", v) }
	runFormatCases(t, []formatCase{
		{name: "40 hex", p: WandB{}, c: wb(hex40())},
		{name: "fake's key", p: WandB{}, c: wb(tokentest.WandBKey)},
		{name: "v1", p: WandB{}, c: wb(wandbV1())},
		{name: "fake's v1 key", p: WandB{}, c: wb(tokentest.WandBKeyV1)},
		{name: "local server", p: WandB{}, c: wb("local-" + hex40())},
		{name: "39 hex", p: WandB{}, c: wb(hex40()[:39]), msg: "is not a W&B API key (40 hex digits or wandb_v1_…)", fatal: true},
		{name: "41 hex", p: WandB{}, c: wb(hex40() + "a"), msg: "is not a W&B API key", fatal: true},
		{name: "upper-case hex", p: WandB{}, c: wb(strings.ToUpper(hex40())), msg: "is not a W&B API key", fatal: true},
		{name: "local junk", p: WandB{}, c: wb("local-" + alnum(40)), msg: "is not a W&B API key", fatal: true},
		{name: "junk", p: WandB{}, c: wb("my-wandb-key"), msg: "is not a W&B API key", fatal: true},
		{name: "trailing dash", p: WandB{}, c: wb(hex40() + "-"), msg: "is not a W&B API key", fatal: true},
	})
}

func TestOpenAIFormat(t *testing.T) {
	oa := func(v string) Credential { return cred("openai", "OPENAI_API_KEY", v) }
	runFormatCases(t, []formatCase{
		{name: "project key", p: OpenAI{}, c: oa(openaiKey())},
		{name: "fake's key", p: OpenAI{}, c: oa(tokentest.OpenAIKey)},
		{name: "service account", p: OpenAI{}, c: oa("sk-svcacct-" + alnum(20) + "T3BlbkFJ" + alnum(20))},
		{name: "legacy", p: OpenAI{}, c: oa("sk-" + alnum(20) + "T3BlbkFJ" + alnum(20))},
		{name: "no marker", p: OpenAI{}, c: oa("sk-proj-" + alnum(48)), msg: "lacks the marker every OpenAI key has"},
		{name: "no sk", p: OpenAI{}, c: oa(alnum(20) + "T3BlbkFJ" + alnum(20)), msg: "does not start with sk-", fatal: true},
	})
}

func TestAnthropicFormat(t *testing.T) {
	an := func(v string) Credential { return cred("anthropic", "ANTHROPIC_API_KEY", v) }
	key := anthropicKey()
	runFormatCases(t, []formatCase{
		{name: "valid", p: Anthropic{}, c: an(key)},
		{name: "fake's key", p: Anthropic{}, c: an(tokentest.AnthropicKey)},
		{name: "cut short", p: Anthropic{}, c: an(key[:len(key)-5] + "AA"), msg: "does not have the usual length"},
		{name: "no AA", p: Anthropic{}, c: an(key[:len(key)-2] + "AB"), msg: "does not have the usual length"},
		{name: "admin key", p: Anthropic{}, c: an("sk-ant-admin01-" + alnum(93) + "AA"), msg: "is an Admin API key"},
		{name: "other version", p: Anthropic{}, c: an("sk-ant-api04-" + alnum(20))},
		{name: "no prefix", p: Anthropic{}, c: an(alnum(108)), msg: "does not start with sk-ant-", fatal: true},
	})
}
