package scan

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSection checks what section reports for the offset of the marker @
// in files of each shape; the marker is removed before the call.
func TestSection(t *testing.T) {
	for _, c := range []struct {
		name, path, text string
		json             bool
		want, not        []string
	}{
		{"yaml parents", "c.yaml", "wandb:\n  project: x\n  settings:\n    api_key: @v\nother: 1\n", false, []string{"settings", "wandb"}, []string{"project", "other"}},
		{"yaml sibling block", "c.yaml", "wandb:\n  project: x\nmlflow:\n  api_key: @v\n", false, []string{"mlflow"}, []string{"wandb"}},
		{"toml table", "c.toml", "[wandb]\nbase = 1\n\n[storage]\napi_key = \"@v\"\n", false, []string{"storage"}, []string{"wandb"}},
		{"ini section", "setup.cfg", "[metadata]\nname = x\n[wandb]\nkey = @v\n", false, []string{"wandb"}, []string{"metadata"}},
		{"json path", "c.json", `{"wandb": {"project": "x", "api_key": "@v"}, "hub": {"x": 1}}`, false, []string{"wandb"}, []string{"hub"}},
		{"closed object before", "c.py", `cfg = {"openai": {"k": 1}, "wandb": {"api_key": "@v"}}`, false, []string{"wandb", "cfg"}, []string{"openai"}},
		{"call", "app.js", `initializeApp({ apiKey: "@v" })`, false, []string{"initializeapp"}, nil},
		{"netrc inline", ".netrc", "machine github.com login a password b\nmachine api.wandb.ai login u password @v\n", false, []string{"api.wandb.ai"}, []string{"github.com"}},
		{"netrc lines", "netrc", "machine api.wandb.ai\n  login u\n  password @v\nmachine github.com\n", false, []string{"api.wandb.ai"}, []string{"github.com"}},
		{"curl url", "s.sh", "curl -u api:@v https://api.wandb.ai/graphql\n", false, []string{"api.wandb.ai"}, nil},
		{"notebook yaml", "n.ipynb", "    \"wandb:\n\",\n    \"  api_key: @v\n\",\n", true, []string{"wandb"}, nil},
		{"file name", "android/google-services.json", `{"client": [{"api_key": [{"current_key": "@v"}]}]}`, false, []string{"google-services.json", "api_key", "client"}, nil},
	} {
		off := strings.Index(c.text, "@")
		text := []byte(strings.Replace(c.text, "@", "", 1))
		got := string(section(text, off, c.path, c.json))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: section %q lacks %q", c.name, got, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: section %q holds %q", c.name, got, w)
			}
		}
	}
}

// TestSectionLooksBackBoundedly: a match at the end of a huge file with no
// structure costs at most the look-back, and still finds nothing.
func TestSectionLooksBackBoundedly(t *testing.T) {
	text := []byte(strings.Repeat("x = 1\n", 200000) + "[wandb]\n" + strings.Repeat("  y\n", 10000) + "  api_key: v")
	if s := string(section(text, len(text)-1, "f.toml", false)); strings.Contains(s, "wandb") {
		t.Errorf("section %q reaches past the look-back", s)
	}
}

func TestNotEncodedName(t *testing.T) {
	for secret, want := range map[string]bool{
		"QUNDRVNTX0tFWQ==": false, // ACCESS_KEY
		"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==": false, // JSON
		"eW91cl9hcGlfdG9rZW5faGVyZQ==":                                     false, // your_api_token_here
		"UzNjcjN0IVBhc3MyMDI0":                                             true,  // S3cr3t!Pass2024: a password
		"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=":                     true,  // random bytes
		"O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy":                                 true,  // not base64 of text
	} {
		e := &Engine{placeholderByFirst: byFirstByte(placeholderVariants([]string{"your", "example"}))}
		if got := notEncodedName(e, secret, ""); got != want {
			t.Errorf("notEncodedName(%q) = %v, want %v", secret, got, want)
		}
	}
	// Random bytes that happen to start with [ or { are not JSON text.
	for _, first := range []byte("[{") {
		b := base64.StdEncoding.EncodeToString([]byte{first, 0x9c, 0x01, 0xfe, 0x42, 0x80, 0x13, 0xd7, 0x66})
		if !notEncodedName(&Engine{placeholderByFirst: byFirstByte(nil)}, b, "") {
			t.Errorf("%s: random bytes after %c taken for JSON", b, first)
		}
	}
}

func TestNotCodeReference(t *testing.T) {
	for _, c := range []struct {
		path, line string
		want       bool
	}{
		{"x.go", `privateKey = jwtTestEC256PrivateKey`, false},
		{"x.py", `def f(private_key: PKCS7PrivateKeyTypes,`, false},
		{"x.py", `token = "O1QUMRt40hCHJLYdq1fkZxK"`, true}, // quoted: a literal
		{"x.py", `# token = O1QUMRt40hCHJLYdq1fkZxK`, true}, // a comment
		{"x.env", `TOKEN=O1QUMRt40hCHJLYdq1fkZxK`, true},    // not source code
		{"x.go", `token = O1QUMRt4-0hCHJLYdq1fkZxK`, true},  // not a name
	} {
		s := strings.Index(c.line, "= ") + 2
		if strings.Contains(c.line, ": P") {
			s = strings.Index(c.line, ": P") + 2
		}
		if c.line[s] == '"' {
			s++
		}
		e := s
		for e < len(c.line) && (isWordByte(c.line[e]) || c.line[e] == '-') {
			e++
		}
		if got := notCodeReference([]byte(c.line), s, e, c.path); got != c.want {
			t.Errorf("%s: %q: got %v, want %v", c.path, c.line, got, c.want)
		}
	}
}

func TestMaskedAround(t *testing.T) {
	for text, want := range map[string]bool{
		"xoxp-123-456-@abc@#####": true,
		"sk-@abcd@****":           true,
		"****@wxyz1234@":          true,
		"hf_@abcd@…":              true,
		"tok @abcdef@...":         true,
		"tok @abcdef@ ok":         false,
	} {
		s := strings.Index(text, "@")
		e := strings.LastIndex(text, "@") - 1
		b := []byte(strings.ReplaceAll(text, "@", ""))
		if got := maskedAround(b, s, e); got != want {
			t.Errorf("maskedAround(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestIdentifierShapes(t *testing.T) {
	for s, want := range map[string]bool{
		"yaml_PLAIN_SCALAR_STYLE":            false,
		"MockEc2MetadataCredentialsProvider": false,
		"SessionTokenCredentialsV2":          false,
		"AWSSecretsManagerCachingClient":     false,
		"Access-Control-Allow-Credentials":   false,
		"ConvertTo-SecureString":             false,
		"dslim/bert-base-NER":                false,
		"mistralai/Mistral-7B-Instruct-v0.3": false,
		"O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy":   true,
		"O1QUMRt40hCHJLYd/q1fkZxKOwvwqshy":   true,
		"q1fkZxK_Owvwqshy_O1QUMRt40hCHJLYd":  true,
		"zguXbys8Qk9Tflsxh5XsWDCY":           true,
	} {
		if got := notIdentifier(nil, s, ""); got != want {
			t.Errorf("notIdentifier(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestRandomValuesAreNotIdentifiers holds the identifier shapes to random
// tokens: at most one in a thousand alphanumeric values of 16 to 40
// characters may be taken for a name.
func TestRandomValuesAreNotIdentifiers(t *testing.T) {
	g := evalGen{rand.New(rand.NewPCG(7, 7))}
	const n = 20000
	names := 0
	for i := range n {
		s := g.pick(alnum, 16+i%25)
		if !notIdentifier(nil, s, "") {
			names++
		}
	}
	t.Logf("%d of %d random values taken for names", names, n)
	if names > n/1000 {
		t.Errorf("%d of %d random values taken for names", names, n)
	}
}

func TestNotLowVarietyIgnoresCaseInRuns(t *testing.T) {
	if notLowVariety(nil, "abCDeFGhiJKlmnOPqrSTuvwxYZ1aBC", "") {
		t.Error("the alphabet in mixed case passed")
	}
	if !notLowVariety(nil, "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy", "") {
		t.Error("a random value failed")
	}
}
