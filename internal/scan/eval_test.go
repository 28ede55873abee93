package scan

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The evaluation set under testdata/eval is a tree of files of the kinds ML
// teams commit. Secrets are not stored in it: each {{kind}} marker is
// replaced, when the test runs, by a fresh fake value in the documented format
// of that kind (GitHub tokens with a correct CRC-32), and marks one expected
// finding of the kind's provider on its line. Each {{!kind}} marker is a hard
// negative (a placeholder, a documented example key, a hash, a UUID, a
// wrong-checksum token…) that must not be reported. Anything else reported is
// a false positive too. Keeping the values out of the files keeps push
// protection and other scanners quiet about this repository.

// evalMinimum is the precision and recall every provider, and the whole set,
// must reach.
const evalMinimum = 0.97

// evalDraws is how many times the set is scanned, each time with fresh
// values, so that the figures do not hang on one lucky draw.
const evalDraws = 8

var markerRE = regexp.MustCompile(`\{\{(!?)([a-z0-9-]+)\}\}`)

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	hexLow = "0123456789abcdef"
	b32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b64    = alnum + "+/"
	urlB64 = alnum + "-_"
)

type evalGen struct{ r *rand.Rand }

func (g evalGen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// github returns a token with GitHub's checksum: CRC-32 of the 30 random
// characters, base62, zero-padded to six.
func (g evalGen) github(prefix string, goodChecksum bool) string {
	body := g.pick(alnum, 30)
	sum := crc32.ChecksumIEEE([]byte(body))
	if !goodChecksum {
		sum++
	}
	var enc [6]byte
	for j := 5; j >= 0; j-- {
		enc[j] = base62[sum%62]
		sum /= 62
	}
	return prefix + body + string(enc[:])
}

func (g evalGen) pem(kind string, lineSep string) string {
	head := "-----BEGIN " + kind + "-----"
	var b strings.Builder
	b.WriteString(head + lineSep)
	for range 6 {
		b.WriteString(g.pick(b64, 64) + lineSep)
	}
	b.WriteString(g.pick(b64, 20) + "==" + lineSep)
	b.WriteString("-----END " + kind + "-----")
	return b.String()
}

// positives are the secret kinds and the provider each is reported under.
var positives = map[string]struct {
	provider string
	gen      func(g evalGen) string
}{
	"hf":           {"huggingface", func(g evalGen) string { return "hf_" + g.pick(alnum, 34) }},
	"hf-org":       {"huggingface", func(g evalGen) string { return "api_org_" + g.pick(alnum, 34) }},
	"modal-id":     {"modal", func(g evalGen) string { return "ak-" + g.pick(alnum, 22) }},
	"modal-secret": {"modal", func(g evalGen) string { return "as-" + g.pick(alnum, 22) }},
	"ghp":          {"github", func(g evalGen) string { return g.github("ghp_", true) }},
	"gho":          {"github", func(g evalGen) string { return g.github("gho_", true) }},
	"ghu":          {"github", func(g evalGen) string { return g.github("ghu_", true) }},
	"ghs":          {"github", func(g evalGen) string { return g.github("ghs_", true) }},
	"ghr":          {"github", func(g evalGen) string { return g.github("ghr_", true) }},
	"github-pat":   {"github", func(g evalGen) string { return "github_pat_11" + g.pick(alnum, 20) + "_" + g.pick(alnum, 59) }},
	"ghs-long": {"github", func(g evalGen) string {
		return fmt.Sprintf("ghs_%d_eyJ%s.eyJ%s.%s", 100000+g.r.IntN(900000), g.pick(urlB64, 30), g.pick(urlB64, 120), g.pick(urlB64, 86))
	}},
	"wandb-hex":     {"wandb", func(g evalGen) string { return g.pick(hexLow, 40) }},
	"wandb-v1":      {"wandb", func(g evalGen) string { return "wandb_v1_" + g.pick(alnum, 77) }},
	"openai-proj":   {"openai", func(g evalGen) string { return "sk-proj-" + g.pick(urlB64, 74) + "T3BlbkFJ" + g.pick(urlB64, 74) }},
	"openai-svc":    {"openai", func(g evalGen) string { return "sk-svcacct-" + g.pick(urlB64, 74) + "T3BlbkFJ" + g.pick(urlB64, 74) }},
	"openai-legacy": {"openai", func(g evalGen) string { return "sk-" + g.pick(alnum, 20) + "T3BlbkFJ" + g.pick(alnum, 20) }},
	"anthropic":     {"anthropic", func(g evalGen) string { return "sk-ant-api03-" + g.pick(urlB64, 93) + "AA" }},
	"anthropic-adm": {"anthropic", func(g evalGen) string { return "sk-ant-admin01-" + g.pick(urlB64, 93) + "AA" }},
	"aws-id":        {"aws", func(g evalGen) string { return "AKIA" + g.pick(b32, 16) }},
	"aws-sts-id":    {"aws", func(g evalGen) string { return "ASIA" + g.pick(b32, 16) }},
	"aws-secret":    {"aws", func(g evalGen) string { return g.pick(b64, 40) }},
	"gcp-api":       {"gcp", func(g evalGen) string { return "AIza" + g.pick(urlB64, 35) }},
	"gcp-sa-key":    {"gcp", func(g evalGen) string { return g.pem("PRIVATE KEY", `\n`) + `\n` }},
	"pem-rsa":       {"pem", func(g evalGen) string { return g.pem("RSA PRIVATE KEY", "\n") }},
	"pem-ec":        {"pem", func(g evalGen) string { return g.pem("EC PRIVATE KEY", "\n") }},
	"pem-openssh":   {"pem", func(g evalGen) string { return g.pem("OPENSSH PRIVATE KEY", "\n") }},
	"pem-pkcs8-enc": {"pem", func(g evalGen) string { return g.pem("ENCRYPTED PRIVATE KEY", "\n") }},
	"slack-bot": {"slack", func(g evalGen) string {
		return "xoxb-" + g.pick("123456789", 12) + "-" + g.pick("123456789", 13) + "-" + g.pick(alnum, 24)
	}},
	"slack-webhook": {"slack", func(g evalGen) string {
		return "https://hooks.slack.com/services/T" + g.pick(b32[:26]+"0123456789", 10) + "/B" + g.pick(b32[:26]+"0123456789", 10) + "/" + g.pick(alnum, 24)
	}},
	"stripe":          {"stripe", func(g evalGen) string { return "sk_live_" + g.pick(alnum, 99) }},
	"stripe-rk":       {"stripe", func(g evalGen) string { return "rk_live_" + g.pick(alnum, 24) }},
	"replicate":       {"replicate", func(g evalGen) string { return "r8_" + g.pick(alnum, 37) }},
	"groq":            {"groq", func(g evalGen) string { return "gsk_" + g.pick(alnum, 52) }},
	"pinecone":        {"pinecone", func(g evalGen) string { return "pcsk_" + g.pick(alnum, 5) + "_" + g.pick(alnum, 63) }},
	"langsmith":       {"langsmith", func(g evalGen) string { return "lsv2_pt_" + g.pick(hexLow, 32) + "_" + g.pick(hexLow, 10) }},
	"cohere":          {"cohere", func(g evalGen) string { return g.pick(alnum, 40) }},
	"mistral":         {"mistral", func(g evalGen) string { return g.pick(alnum, 32) }},
	"together":        {"together", func(g evalGen) string { return "tgp_v1_" + g.pick(urlB64, 43) }},
	"together-legacy": {"together", func(g evalGen) string { return g.pick(hexLow, 64) }},
	"nvidia":          {"nvidia", func(g evalGen) string { return "nvapi-" + g.pick(urlB64, 64) }},
	"db-password":     {"database", func(g evalGen) string { return g.pick(alnum, 20) }},
	"generic":         {"generic", func(g evalGen) string { return g.pick(urlB64, 32) }},
	"generic-base64":  {"generic", func(g evalGen) string { return g.pick(b64, 43) + "=" }},
	// secrets.token_hex(32): 64 hex under a secret-looking name.
	"generic-hex64": {"generic", func(g evalGen) string { return g.pick(hexLow, 64) }},
	// Firebase web and Android client keys: public by design, reported as
	// informational (the provider's name gets an "-info" suffix here).
	"firebase-web": {"gcp-info", func(g evalGen) string { return "AIza" + g.pick(urlB64, 35) }},
}

// negatives are the hard negatives: values that look like secrets to a
// naive scanner.
var negatives = map[string]func(g evalGen) string{
	"uuid": func(g evalGen) string {
		h := g.pick(hexLow, 32)
		return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
	},
	"sha1":             func(g evalGen) string { return g.pick(hexLow, 40) },
	"sha256":           func(g evalGen) string { return g.pick(hexLow, 64) },
	"md5":              func(g evalGen) string { return g.pick(hexLow, 32) },
	"integrity":        func(g evalGen) string { return "sha512-" + g.pick(b64, 86) + "==" },
	"integrity-sha1":   func(g evalGen) string { return "sha1-" + g.pick(b64, 27) + "=" },
	"base64-image":     func(g evalGen) string { return "iVBORw0KGgoAAAANSUhEUgAA" + g.pick(b64, 4000) + "=" },
	"base64-data":      func(g evalGen) string { return base64.StdEncoding.EncodeToString([]byte(g.pick(alnum, 60))) },
	"ghp-badcrc":       func(g evalGen) string { return g.github("ghp_", false) },
	"gho-badcrc":       func(g evalGen) string { return g.github("gho_", false) },
	"hf-masked":        func(g evalGen) string { return "hf_****" + g.pick(alnum, 4) },
	"hf-ellipsis":      func(g evalGen) string { return "hf_…" + g.pick(alnum, 4) },
	"hf-placeholder":   func(evalGen) string { return "hf_" + strings.Repeat("x", 34) },
	"hf-your":          func(evalGen) string { return "hf_your_token_here" },
	"your-token":       func(evalGen) string { return "<your-token>" },
	"env-ref":          func(evalGen) string { return "${HF_TOKEN}" },
	"gha-secret":       func(evalGen) string { return "${{ secrets.HF_TOKEN }}" },
	"aws-example":      func(evalGen) string { return "AKIAIOSFODNN7EXAMPLE" },
	"aws-example-key":  func(evalGen) string { return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
	"aws-xxx":          func(evalGen) string { return "AKIAXXXXXXXXXXXXXXXX" },
	"openai-dots":      func(evalGen) string { return "sk-..." },
	"openai-xxx":       func(evalGen) string { return "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
	"anthropic-dots":   func(evalGen) string { return "sk-ant-api03-..." },
	"sequential":       func(evalGen) string { return "abcdefghijklmnopqrstuvwxyz012345" },
	"repeated":         func(evalGen) string { return strings.Repeat("a", 32) },
	"changeme":         func(evalGen) string { return "changeme-please-0000" },
	"default-password": func(evalGen) string { return "postgres" },
	"identifier":       func(evalGen) string { return "settings.HUGGINGFACE_HUB_TOKEN_PATH" },
	"wandb-run-id":     func(g evalGen) string { return g.pick("abcdefghijklmnopqrstuvwxyz0123456789", 8) },
	"pem-elided":       func(evalGen) string { return "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----" },
	"pem-public":       func(g evalGen) string { return g.pem("PUBLIC KEY", "\n") },
	"slack-placeholder": func(evalGen) string {
		return "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
	},
	"stripe-test":  func(g evalGen) string { return "sk_test_" + g.pick(alnum, 24) },
	"git-sha":      func(g evalGen) string { return g.pick(hexLow, 40) },
	"docker-image": func(g evalGen) string { return "sha256:" + g.pick(hexLow, 64) },
	"model-id":     func(evalGen) string { return "meta-llama/Llama-3.1-8B-Instruct" },
	"model-repo": func(g evalGen) string {
		orgs := []string{"dslim", "Jean-Baptiste", "facebook", "sshleifer", "ml-team", "mistralai"}
		names := []string{"bert-base-NER", "roberta-large-ner-english", "bart-large-cnn", "distilbart-cnn-12-6", "Mistral-7B-Instruct-v0.3", "retrieval-ft-v2"}
		return orgs[g.r.IntN(len(orgs))] + "/" + names[g.r.IntN(len(names))]
	},
	"identifier-const": func(g evalGen) string {
		ids := []string{"yaml_PLAIN_SCALAR_STYLE", "MockEc2MetadataCredentialsProvider", "DEFAULT_TOKEN_REFRESH_WINDOW", "SessionTokenCredentialsV2", "AWSSecretsManagerCachingClient"}
		return ids[g.r.IntN(len(ids))]
	},
	// Docstrings cut JWTs short with "...".
	"jwt-truncated": func(g evalGen) string {
		return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + g.pick(urlB64, 12) + "..."
	},
	"pgp-public": func(g evalGen) string {
		var b strings.Builder
		b.WriteString("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBG")
		for range 8 {
			b.WriteString(g.pick(b64, 64) + "\n")
		}
		b.WriteString("=" + g.pick(b64, 4) + "\n-----END PGP PUBLIC KEY BLOCK-----")
		return b.String()
	},
	// base64 of a placeholder name: QUNDRVNTX0tFWQ== is ACCESS_KEY.
	"base64-placeholder": func(g evalGen) string {
		words := []string{"ACCESS_KEY", "SECRET_ACCESS_KEY", "my-secret-password", "changeme-please", "your_api_token_here", "PLACEHOLDER_TOKEN"}
		return base64.StdEncoding.EncodeToString([]byte(words[g.r.IntN(len(words))]))
	},
	"masked-slack": func(g evalGen) string {
		return "xoxp-" + g.pick("123456789", 12) + "-" + g.pick("123456789", 12) + "-" + strings.Repeat("#", 24)
	},
	"masked-openai":  func(g evalGen) string { return "sk-" + g.pick(alnum, 4) + strings.Repeat("*", 40) + g.pick(alnum, 4) },
	"notareal-modal": func(g evalGen) string { return "ak-NOTAREALTOKENSTRING" + g.pick("0123456789", 2) },
	// The credential scope of an AWS SigV4 request, as tests spell it out.
	"sigv4-scope": func(g evalGen) string {
		return fmt.Sprintf("2015%02d%02d/us-east-1/%s/aws4_request", 1+g.r.IntN(12), 1+g.r.IntN(28), []string{"s3", "iam", "sts", "execute-api"}[g.r.IntN(4)])
	},
}

// evalExpected is one labelled positive.
type evalExpected struct {
	file, kind, provider string
	line                 int
}

// expandEval replaces the markers of one file, returning the text and the
// positives with the line each starts on. Values are drawn from g.
func expandEval(t testing.TB, g evalGen, file, src string) (string, []evalExpected, int) {
	t.Helper()
	var (
		out  strings.Builder
		exp  []evalExpected
		negs int
		last int
	)
	for _, m := range markerRE.FindAllStringSubmatchIndex(src, -1) {
		out.WriteString(src[last:m[0]])
		last = m[1]
		neg, kind := src[m[2]:m[3]] == "!", src[m[4]:m[5]]
		line := strings.Count(out.String(), "\n") + 1
		if neg {
			gen, ok := negatives[kind]
			if !ok {
				t.Fatalf("%s:%d: unknown negative kind %q", file, line, kind)
			}
			out.WriteString(gen(g))
			negs++
			continue
		}
		p, ok := positives[kind]
		if !ok {
			t.Fatalf("%s:%d: unknown positive kind %q", file, line, kind)
		}
		out.WriteString(p.gen(g))
		exp = append(exp, evalExpected{file: file, kind: kind, provider: p.provider, line: line})
	}
	out.WriteString(src[last:])
	return out.String(), exp, negs
}

type evalCount struct{ tp, fp, fn int }

func (c evalCount) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c evalCount) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

// evalFile is one file of a labelled tree with its markers replaced.
type evalFile struct {
	path, text string
	expected   []evalExpected
	negatives  int
}

// expandTree reads the labelled tree at root and replaces the markers of
// every file with values drawn from g.
func expandTree(t testing.TB, root string, g evalGen) []evalFile {
	var files []evalFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		text, exp, negs := expandEval(t, g, rel, string(raw))
		files = append(files, evalFile{path: rel, text: text, expected: exp, negatives: negs})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// evalResult is what scanning one labelled tree, evalDraws times, gave.
type evalResult struct {
	counts                      map[string]*evalCount // by provider
	files, positives, negatives int                   // per draw
	kinds                       map[string]bool       // positive kinds seen
}

// evaluate scans the labelled tree at root evalDraws times with fresh
// values and counts true and false positives and misses per provider; it
// logs each mistake.
func evaluate(t *testing.T, root string) evalResult {
	e := newEngine(t, Config{})
	res := evalResult{counts: map[string]*evalCount{}, kinds: map[string]bool{}}
	count := func(p string) *evalCount {
		if res.counts[p] == nil {
			res.counts[p] = &evalCount{}
		}
		return res.counts[p]
	}
	for draw := range evalDraws {
		g := evalGen{rand.New(rand.NewPCG(2026, uint64(draw)))}
		res.files, res.positives, res.negatives = 0, 0, 0
		for _, ef := range expandTree(t, root, g) {
			res.files++
			res.positives += len(ef.expected)
			res.negatives += ef.negatives
			found := e.Scan(Fragment{Path: ef.path, Content: []byte(ef.text)})
			matched := make([]bool, len(ef.expected))
			for _, f := range found {
				if f.Informational {
					f.Provider += "-info"
				}
				i := -1
				for j, x := range ef.expected {
					if !matched[j] && x.line == f.Line && x.provider == f.Provider {
						i = j
						break
					}
				}
				if i >= 0 {
					matched[i] = true
					count(f.Provider).tp++
					continue
				}
				count(f.Provider).fp++
				t.Logf("draw %d: false positive: %s:%d:%d %s %s", draw, ef.path, f.Line, f.Column, f.RuleID, f.Masked)
			}
			for i, x := range ef.expected {
				res.kinds[x.kind] = true
				if !matched[i] {
					count(x.provider).fn++
					t.Logf("draw %d: missed: %s:%d %s (%s)", draw, ef.path, x.line, x.kind, x.provider)
				}
			}
		}
	}
	return res
}

// table writes the per-provider figures and the overall ones, and fails
// the test for each row below minimum (overall only, when perProvider is
// false).
func (res evalResult) table(t *testing.T, perProvider bool, minimum float64) string {
	var total evalCount
	providers := make([]string, 0, len(res.counts))
	for p, c := range res.counts {
		providers = append(providers, p)
		total.tp += c.tp
		total.fp += c.fp
		total.fn += c.fn
	}
	slices.SortFunc(providers, func(a, b string) int { return cmp.Compare(a, b) })
	var table strings.Builder
	fmt.Fprintf(&table, "%d files, %d positives, %d hard negatives, %d draws of fresh values\n", res.files, res.positives, res.negatives, evalDraws)
	fmt.Fprintf(&table, "| provider | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|\n")
	row := func(name string, c evalCount, check bool) {
		fmt.Fprintf(&table, "| %s | %d | %d | %d | %.3f | %.3f |\n", name, c.tp, c.fp, c.fn, c.precision(), c.recall())
		if check && (c.precision() < minimum || c.recall() < minimum) {
			t.Errorf("%s: precision %.3f, recall %.3f; want both >= %.2f", name, c.precision(), c.recall(), minimum)
		}
	}
	for _, p := range providers {
		row(p, *res.counts[p], perProvider)
	}
	row("**overall**", total, true)
	return table.String()
}

// TestEvaluationSet computes precision and recall per provider and overall
// on the labelled evaluation set and fails below evalMinimum. Run with -v to
// see the table recorded in BENCHMARKS.md.
func TestEvaluationSet(t *testing.T) {
	res := evaluate(t, filepath.Join("testdata", "eval"))
	if res.files < 15 || res.positives < 100 {
		t.Fatalf("the set is too small: %d files, %d positives", res.files, res.positives)
	}
	if res.negatives < res.positives {
		t.Errorf("%d hard negatives for %d positives: want at least as many", res.negatives, res.positives)
	}
	for k := range positives {
		if !res.kinds[k] {
			t.Errorf("no example of positive kind %s in the set", k)
		}
	}
	t.Logf("evaluation set:\n%s", res.table(t, true, evalMinimum))
}

// TestHeldOutSet scans testdata/heldout: files written after the rules
// were tuned on the evaluation set, and not used to tune them, so its
// figures say more about files nobody has seen yet. It is smaller, so only
// the overall figures are held to evalMinimum; the table shows the rest.
func TestHeldOutSet(t *testing.T) {
	res := evaluate(t, filepath.Join("testdata", "heldout"))
	if res.files < 8 || res.positives < 40 {
		t.Fatalf("the held-out set is too small: %d files, %d positives", res.files, res.positives)
	}
	t.Logf("held-out set:\n%s", res.table(t, false, evalMinimum))
}

// TestEvalGeneratorsMakeValidShapes guards the generators themselves: a
// GitHub token with a good checksum passes the validator and one with a bad
// checksum does not.
func TestEvalGeneratorsMakeValidShapes(t *testing.T) {
	g := evalGen{rand.New(rand.NewPCG(1, 2))}
	for range 100 {
		if tok := g.github("ghp_", true); !githubChecksumOK(tok) {
			t.Fatalf("%s: generated checksum rejected", tok)
		}
		if tok := g.github("ghp_", false); githubChecksumOK(tok) {
			t.Fatalf("%s: wrong checksum accepted", tok)
		}
	}
}
