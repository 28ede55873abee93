package redact

import (
	"encoding/hex"
	"strings"
	"sync"
	"testing"
)

// Test tokens are assembled at run time so that this file holds nothing
// token-shaped for secret scanners (ours included) to flag.
var (
	hfToken     = "hf_" + strings.Repeat("aB3", 11) + "Z"                    // hf_ + 34
	ghpToken    = "ghp_" + strings.Repeat("x9Y", 12)                         // ghp_ + 36
	patToken    = "github_pat_" + strings.Repeat("Ab_", 27) + "c"            // github_pat_ + 82
	ghsToken    = "ghs_12345_" + "eyJhbGciOi.eyJpc3MiOi.c2lnbmF0dXJl"        // new installation token
	antToken    = "sk-ant-api03-" + strings.Repeat("q", 93) + "AA"           // Anthropic
	openaiToken = "sk-proj-" + strings.Repeat("Ab1", 10) + "T3BlbkFJ" + "zz" // OpenAI
	modalSecret = "as-" + strings.Repeat("m", 22)
	bearerValue = strings.Repeat("Zz9", 10)
)

func last4(s string) string { return s[len(s)-4:] }

// onlySecrets empties the registry for one test and restores it afterwards,
// since Secret registers process-wide.
func onlySecrets(t testing.TB, values ...string) {
	t.Helper()
	mu.Lock()
	saved := known
	known = nil
	mu.Unlock()
	t.Cleanup(func() {
		mu.Lock()
		known = saved
		mu.Unlock()
	})
	for _, v := range values {
		Secret(v)
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"hf", hfToken, "hf_…aB3Z"},
		{"longest prefix wins", antToken, "sk-ant-api03-…qqAA"},
		{"openai project", openaiToken, "sk-proj-…FJzz"},
		{"unknown prefix", "abcdefghijklmnopqrstuvwxyz", "…wxyz"},
		{"short unknown", "short", "…"},
		{"prefix only", "hf_", "hf_…"},
		{"short after prefix", "hf_abc", "hf_…"},
		{"15 after prefix hides all", "hf_" + strings.Repeat("a", 14) + "b", "hf_…"},
		{"16 after prefix shows last four", "hf_" + strings.Repeat("a", 12) + "wxyz", "hf_…wxyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	// SHA-256("abc") is the FIPS 180-2 test vector ba7816bf8f01cfea…
	if got, want := Fingerprint("abc"), "ba7816bf8f01cfea"; got != want {
		t.Errorf("Fingerprint(abc) = %q, want %q", got, want)
	}
	fp := Fingerprint(hfToken)
	if len(fp) != 16 {
		t.Errorf("Fingerprint length = %d, want 16", len(fp))
	}
	if _, err := hex.DecodeString(fp); err != nil {
		t.Errorf("Fingerprint %q is not hex: %v", fp, err)
	}
	if Fingerprint(hfToken) != fp {
		t.Error("Fingerprint is not stable")
	}
	if Fingerprint(ghpToken) == fp {
		t.Error("different values share a fingerprint")
	}
}

func TestStringMasksTokenShapes(t *testing.T) {
	onlySecrets(t)
	tests := []struct {
		name, in, want string
	}{
		{"hf", "using " + hfToken + " for upload", "using hf_…aB3Z for upload"},
		{"hf with digits at end of sentence", "token " + hfToken + ".", "token hf_…aB3Z."},
		{"hf oauth", "hf_oauth_" + strings.Repeat("k", 30), "hf_oauth_…kkkk"},
		{"hf org", "api_org_" + strings.Repeat("Q", 34), "api_org_…QQQQ"},
		{"ghp", "GH_TOKEN=" + ghpToken, "GH_TOKEN=ghp_…" + last4(ghpToken)},
		{"fine-grained pat", patToken, "github_pat_…" + last4(patToken)},
		{"ghs with JWT keeps nothing of it", "token " + ghsToken + ".", "token ghs_…dXJl."},
		{"anthropic", "key=" + antToken, "key=sk-ant-api03-…qqAA"},
		{"openai", `"` + openaiToken + `"`, `"sk-proj-…FJzz"`},
		{"modal", "MODAL_TOKEN_SECRET=" + modalSecret, "MODAL_TOKEN_SECRET=as-…mmmm"},
		{"bearer", "Authorization: Bearer " + bearerValue, "Authorization: Bearer …" + last4(bearerValue)},
		{"bearer hf keeps prefix", "Authorization: Bearer " + hfToken, "Authorization: Bearer hf_…aB3Z"},
		{"github token header", "authorization: token " + bearerValue, "authorization: token …" + last4(bearerValue)},
		{"url password", "pushing to https://user:" + "pa55word@example.com/repo.git", "pushing to https://user:…@example.com/repo.git"},
		{"url token password", "https://x:" + hfToken + "@huggingface.co", "https://x:hf_…aB3Z@huggingface.co"},
		{"jwt", "id " + "eyJhbGciOiJI.eyJzdWIiOiIx.sig-nature_", "id …ure_"},
		{"several", hfToken + " and " + ghpToken, "hf_…aB3Z and ghp_…" + last4(ghpToken)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStringLeavesOrdinaryText(t *testing.T) {
	onlySecrets(t)
	for _, s := range []string{
		"",
		"validating 3 credentials for job train-llama",
		"commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904 is not on the remote",
		"token file /home/user/.cache/huggingface/token is empty",
		"risk-assessment-pipeline-configuration-v2 loaded",
		"task-scheduler-for-distributed-training started",
		"hf_hub_download failed for model.safetensors",
		"Bearer token missing",
		"see https://huggingface.co/settings/tokens",
		"http://localhost:8080/api/whoami-v2",
		"uuid 123e4567-e89b-12d3-a456-426614174000",
	} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestSecret(t *testing.T) {
	onlySecrets(t, "plain-looking-value-42\n", "tiny")
	got := String("wandb key plain-looking-value-42 and tiny thing")
	if want := "wandb key …e-42 and tiny thing"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSecretThatLooksLikeAMask(t *testing.T) {
	// Masking the token-shaped part would rebuild this registered value.
	odd := "hf_…" + last4(hfToken)
	onlySecrets(t, odd)
	got := String(odd + " " + hfToken)
	if strings.Contains(got, odd) {
		t.Errorf("String left the registered secret in %q", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	onlySecrets(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			v := strings.Repeat(string(rune('a'+i)), 12)
			Secret(v)
			if got := String("x " + v + " y"); strings.Contains(got, v) {
				t.Errorf("secret %q left in %q", v, got)
			}
		})
	}
	wg.Wait()
}

func FuzzString(f *testing.F) {
	f.Add("plain-looking-value-42", "before ", " after")
	f.Add(hfToken, "Authorization: Bearer ", "")
	f.Add("hf_…"+last4(hfToken), "", " "+hfToken)
	f.Add("aaaaaaaa", "aaaa", "aaaa")
	f.Add("sk-ant-api03-…", "", "")
	f.Fuzz(func(t *testing.T, secret, before, after string) {
		onlySecrets(t, secret)
		value := strings.TrimSpace(secret)
		if len(value) < 8 {
			t.Skip("too short to register")
		}
		if out := String(before + secret + after); strings.Contains(out, value) {
			t.Errorf("String(%q) = %q still holds the secret %q", before+secret+after, out, value)
		}
	})
}
