package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// matchCases are inputs on which the scanner and the regular expressions
// could part: every shape at its length limits, word boundaries, adjacent
// and overlapping tokens, case and Unicode folding in the labelled passes,
// URL passwords, and text that is none of these. They also seed
// FuzzStringMatchesRegexp.
func matchCases() []string {
	r := strings.Repeat
	a20, a19 := r("a", 20), r("a", 19)
	hex32, hex40 := r("0f", 16), r("9a", 20)
	cases := []string{
		"", "plain text", "hf_", "hf_" + a19, "hf_" + a20, "hf_" + a20 + "_tail", "xhf_" + a20,
		"hf_oauth_" + a20, "hf_oauth_" + a19, "hf_oauth_" + r("b", 30) + "!", "hf_oauth" + a20,
		"api_org_" + a20, "api_org_" + a19,
		"ghs_1_a.b", "ghs_12345_" + "eyJhbGciOi.eyJpc3MiOi.c2lnbmF0dXJl" + ".", "ghs_1_a.", "ghs_1_a", "ghs_1a_b.c",
		"ghs_" + a20, "ghs__" + a20, "ghs_1_a..b", "ghs_1_a.b.c.d-e_f.", "ghs_" + r("1", 25), "ghs_12_34_x.y",
		"ghp_" + a20, "gho_" + a19, "ghu_" + r("_", 20), "ghr_" + a20 + "-x", "ghx_" + a20,
		"github_pat_" + a20, "github_pat_" + r("Ab_", 27) + "c",
		"ak-" + r("x", 12), "as-" + r("x", 11), "_ak-" + r("x", 12), "-ak-" + r("x", 12), "risk-assessment-pipeline-configuration",
		"sk-" + a20, "sk-" + a19, "ask-" + a20, ".sk-" + a20, "sk-ant-api03-" + r("q", 93) + "AA",
		"wandb_v1_" + r("w", 10), "wandb_v1_" + r("w", 9), "xwandb_v1_" + r("w-", 6),
		"AKIA" + r("A", 16), "AKIA" + r("A", 15), "AKIA" + r("A", 17), "AKIA" + r("A", 16) + "-", "ASIA" + r("2", 16) + "_",
		"AKIA" + r("A", 16) + "é", "xAKIA" + r("A", 16), "AKIA" + r("8", 16),
		"xoxb-" + r("1", 10), "xoxq-" + r("1", 10), "xoxr-" + r("1", 9), "axoxp-" + r("1-", 5),
		"xapp-" + a20, "axapp-" + a20, "xoxe." + r("a.", 10), "xoxe-" + a20, "xoxe_" + a20, "xoxe.xoxp-1-Mi0yLTc4NDUxMjM2OTA0MTIt",
		"xai-" + a20, "pplx-" + a20, "csk-" + a19, "fw_" + a20, "rpa_" + a20, "esecret_" + a20, "jina_" + a20, "xjina_" + a20,
		"the fw_version and rpa_status fields",
		"sk_" + hex40, "sk_" + hex40[:39], "sk_" + hex40 + "G", "sk_" + strings.ToUpper(hex40),
		"dapi" + hex32, "dapi" + hex32[:31], "dapi" + hex32 + "ff", "dapi" + hex32 + "zz", "adapi" + hex32,
		"eyJhcGlf" + r("Q+/", 14), "eyJhcGlf" + r("Q", 40) + "===", "eyJhcGlf" + r("Q", 39) + "=", "eyJhcGlf" + r("Q", 39) + ".abcdefgh.x",
		"eyJ" + r("h", 8) + "." + r("p", 8) + ".", "eyJ" + r("h", 8) + "." + r("p", 7) + ".s", "eyJ" + r("h", 7) + "." + r("p", 8) + ".s",
		"eyJhbGciOiJI.eyJzdWIiOiIx.sig-nature_", "xeyJ" + r("h", 8) + "." + r("p", 8) + ".s",
		hfToken + ghpToken, hfToken + " " + ghpToken, "sk-" + a20 + "sk-" + a20, "ak-" + r("x", 12) + " as-" + r("y", 12),
		"Authorization: Bearer " + bearerValue, "authorization: bearer " + hfToken, "BEARER\t\n" + r("z", 16),
		"bearer " + r("z", 15), "xbearer " + r("z", 16), "_Basic " + r("z", 16), "Basic\f" + r("Zm9v", 4) + "==",
		"Bearer" + r("z", 16), "Bearer \v" + r("z", 16), "Bearer Bearer " + r("z", 16), "bearer " + r("z", 14) + "\u212a\u017f",
		"ba\u017fic " + r("z", 16), "BA\u017fIC " + r("z", 20), "bearer " + r("z", 15) + "\u0131",
		"authorization: token " + bearerValue, "Authorization:token " + r("t", 16), "AUTHORIZATION:\t\tTOKEN  " + r("t", 16),
		"authorization: to\u212aen " + r("t", 16), "authorization: token" + r("t", 16), "authorization token " + r("t", 16),
		"Authorization: Bearer hf_" + r("a", 34), "Bearer " + r("a", 10) + "/" + r("b", 10) + "~._+=-x",
		"https://user:pa55word@example.com/repo.git", "https://x:" + hfToken + "@huggingface.co", "://a:b@", "://a:b", ":// a:b@",
		"://a:b://c:d@", "://a:b:c@d", "://:b@", "://a:@", "https://u:p@h https://v:q@i", "ssh://git@host:repo", "://ü:ß@",
		"see https://huggingface.co/settings/tokens", "http://localhost:8080/api/whoami-v2",
		"token file /home/user/.cache/huggingface/token is empty", "uuid 123e4567-e89b-12d3-a456-426614174000",
		"é" + hfToken, "\xff" + "sk-" + a20, "\xe2\x80" + "ak-" + r("x", 12), "bearer\u00a0" + r("z", 16),
		"Bearer " + hfToken + " and https://u:" + ghpToken + "@github.com",
	}
	for _, v := range []string{hfToken, ghpToken, patToken, ghsToken, antToken, openaiToken, modalSecret} {
		cases = append(cases, v, "key="+v+".", `"`+v+`"`, v+v)
	}
	return cases
}

// String finds and masks what the regular expressions it replaced found
// (reference_test.go), byte for byte.
func TestStringMatchesRegexp(t *testing.T) {
	onlySecrets(t)
	for _, in := range matchCases() {
		if got, want := String(in), refString(in); got != want {
			t.Errorf("String(%q)\n     got %q\n  regexp %q", in, got, want)
		}
	}
	// Registered secrets go first and last, around the scanner.
	onlySecrets(t, "plain-looking-value-42", "hf_…"+last4(hfToken), "eyJ"+strings.Repeat("h", 8))
	for _, in := range matchCases() {
		in += " plain-looking-value-42 hf_…" + last4(hfToken) + " " + hfToken + " eyJhhhhhhhh.pppppppp.s"
		if got, want := String(in), refString(in); got != want {
			t.Errorf("String(%q) with secrets\n     got %q\n  regexp %q", in, got, want)
		}
	}
}

// Random text made of the pieces the shapes are built of finds the corners
// that byte-level fuzzing reaches slowly: prefixes next to runs of each
// class at their length limits, dots, padding, word boundaries, the
// characters regexp's (?i) folds, and URL punctuation.
func TestStringMatchesRegexpOnPieces(t *testing.T) {
	onlySecrets(t)
	pieces := []string{
		"hf_", "oauth_", "api_org_", "ghs_", "ghp_", "github_pat_", "ak-", "as-", "sk-", "sk_", "wandb_v1_",
		"AKIA", "ASIA", "xoxb-", "xoxe.", "xoxe-", "xapp-", "xai-", "pplx-", "csk-", "fw_", "rpa_", "esecret_", "jina_",
		"dapi", "eyJhcGlf", "eyJ", "Bearer", "basic", "BA\u017fIC", "authorization:", "token", "to\u212aen",
		"https://", "://", "user", ":", "@", "/", ".", "..", "=", "==", "_", "-", "+", "~", " ", "\t", "\n", "\v",
		"\u017f", "\u212a", "\u0131", "é", "\xff", "0123456789", "abcdef", "ABCDEFGHIJKLMNOP", "234567",
		"aaaaaaaa", "ZZZZZZZZZZZZ", "12345", "Q+/Q", "x",
	}
	r := rand.New(rand.NewPCG(18, 18))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(3) == 0 && len(p) > 0 { // a run of one byte of the piece, at some length
				p = strings.Repeat(p[:1], r.IntN(45))
			}
			b.WriteString(p)
		}
		in := b.String()
		if got, want := String(in), refString(in); got != want {
			t.Fatalf("String(%q)\n     got %q\n  regexp %q", in, got, want)
		}
	}
}

func FuzzStringMatchesRegexp(f *testing.F) {
	for _, in := range matchCases() {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		onlySecrets(t)
		if got, want := String(in), refString(in); got != want {
			t.Errorf("String(%q)\n     got %q\n  regexp %q", in, got, want)
		}
	})
}

// Every prefix starts with a letter, which shape.match relies on for its
// word boundary test, and tokenStarts lists exactly those first letters.
func TestShapePrefixes(t *testing.T) {
	first := map[byte]bool{}
	for _, sh := range shapes {
		for _, p := range sh.prefixes {
			if p == "" || !isAlnum(p[0]) || isDigit(p[0]) {
				t.Fatalf("prefix %q does not start with a letter", p)
			}
			first[p[0]] = true
			if strings.IndexByte(tokenStarts, p[0]) < 0 {
				t.Errorf("tokenStarts lacks %q, the first byte of prefix %q", p[0], p)
			}
		}
	}
	if len(first) != len(tokenStarts) {
		t.Errorf("tokenStarts %q has %d bytes; the prefixes start with %d", tokenStarts, len(tokenStarts), len(first))
	}
}

// benchInputs are a typical error message and a 4 KB chunk of log with a
// few tokens in it.
func benchInputs() map[string]string {
	msg := "tokencheck: error: hf: GET https://huggingface.co/api/whoami-v2: 401 Unauthorized (token " + hfToken + " rejected)"
	var log strings.Builder
	for i := 0; log.Len() < 4096; i++ {
		switch i % 8 {
		case 3:
			log.WriteString("2026-12-02T08:00:00Z INFO uploading shard with Authorization: Bearer " + bearerValue + "\n")
		case 6:
			log.WriteString("2026-12-02T08:00:01Z WARN push to https://user:" + ghpToken + "@github.com/org/repo.git failed\n")
		default:
			log.WriteString("2026-12-02T08:00:00Z INFO step 1200 loss=0.4312 lr=3.0e-4 grad_norm=1.02 tokens/s=48213 gpu=0\n")
		}
	}
	return map[string]string{"message": msg, "log4k": log.String()[:4096]}
}

func BenchmarkString(b *testing.B) {
	onlySecrets(b)
	for name, in := range benchInputs() {
		if String(in) != refString(in) {
			b.Fatalf("%s: scanner and regexp disagree", name)
		}
		b.Run(name+"/regexp", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				refString(in)
			}
		})
		b.Run(name+"/scanner", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				String(in)
			}
		})
	}
}
