package lite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const ghTok = "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"

// Shapes of hosts.yml as gh writes them.
var ghHostsShapes = map[string]struct {
	yml  string
	want string
}{
	// gh before 2.40: one user, the token in the file.
	"old": {"github.com:\n    oauth_token: " + ghTok + "\n    user: alice\n    git_protocol: https\n", ghTok},
	// gh 2.40 and later with --insecure-storage: users map plus the active user's token.
	"multi-account insecure": {"github.com:\n    users:\n        alice:\n            oauth_token: " + ghTok + "\n        bob:\n            oauth_token: ghp_other\n    git_protocol: https\n    user: alice\n    oauth_token: " + ghTok + "\n", ghTok},
	// gh 2.40 and later with the keyring (the default): no token in the file.
	"keyring":            {"github.com:\n    users:\n        alice:\n    git_protocol: ssh\n    user: alice\n", ""},
	"keyring empty user": {"github.com:\n    users:\n        alice: {}\n    user: alice\n", ""},
	// Another host only (GitHub Enterprise): not github.com's token.
	"enterprise only": {"ghe.example.com:\n    oauth_token: " + ghTok + "\n    user: alice\n", ""},
	"two hosts":       {"ghe.example.com:\n    oauth_token: ghp_enterprise\ngithub.com:\n    oauth_token: " + ghTok + "\n", ghTok},
	"quoted":          {"\"github.com\":\n  oauth_token: '" + ghTok + "' # gh does not quote, people do\n", ghTok},
	"double":          {"---\n# written by hand\ngithub.com:\n  user: \"alice\"\n  oauth_token: \"" + ghTok + "\"\n", ghTok},
	"empty":           {"", ""},
	"crlf":            {"github.com:\r\n    oauth_token: " + ghTok + "\r\n", ghTok},
}

func TestGHHostsToken(t *testing.T) {
	for name, c := range ghHostsShapes {
		got, ferr := ghHostsToken([]byte(c.yml), "github.com")
		if ferr != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", name, got, ferr, c.want)
		}
	}
}

// yamlToken is what a real YAML library reads as github.com's oauth_token
// (the scalar as written, whatever type YAML would resolve it to).
func yamlToken(data []byte) (string, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", false
	}
	get := func(m *yaml.Node, key string) *yaml.Node {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	tok := get(get(root, "github.com"), "oauth_token")
	if tok == nil || tok.Kind != yaml.ScalarNode || tok.Tag == "!!null" {
		return "", true
	}
	return tok.Value, true
}

// The reader agrees with gopkg.in/yaml.v3 on every shape above, and on
// files it refuses yaml.v3 either refuses too or the reader says why.
func TestGHHostsAgreesWithYAML(t *testing.T) {
	for name, c := range ghHostsShapes {
		want, ok := yamlToken([]byte(c.yml))
		if !ok || want != c.want {
			t.Errorf("%s: yaml.v3 reads %q (ok %v), the shape says %q", name, want, ok, c.want)
		}
	}
}

func FuzzGHHostsToken(f *testing.F) {
	for _, c := range ghHostsShapes {
		f.Add(c.yml)
	}
	f.Add("github.com:\n\toauth_token: x\n")
	f.Add("github.com: x\n    oauth_token: y\n")
	f.Fuzz(func(t *testing.T, yml string) {
		got, ferr := ghHostsToken([]byte(yml), "github.com")
		if ferr != nil {
			return // refusing is allowed; guessing is not
		}
		want, ok := yamlToken([]byte(yml))
		if ok && got != want {
			t.Errorf("%q: reader %q, yaml.v3 %q", yml, got, want)
		}
	})
}

func TestGHHostsMalformed(t *testing.T) {
	for yml, why := range map[string]string{
		"github.com:\n\toauth_token: x\n":              "line 2: a tab",
		"github.com: x\n    oauth_token: y\n":          "line 2: a line indented under a key that already has a value",
		"github.com:\n    oauth_token: 'abc\n":         "line 2: an unclosed ' quote",
		"github.com:\n    just some words\n":           "line 2: expected key: value",
		"github.com:\n    user: a\n  oauth_token: x\n": "line 3: the indentation does not match",
		"github.com:\n    oauth_token: \"a\" b\n":      "line 2: unexpected text after the value",
		"github.com:\n    oauth_token: *anchor_ref\n":  "line 2: a YAML feature",
		"github.com:\n    oauth_token: \"a\\u0041\"\n": "line 2: an escape",
	} {
		_, ferr := ghHostsToken([]byte(yml), "github.com")
		if ferr == nil || !strings.Contains(ferr.Error(), why) {
			t.Errorf("%q: got %v, want an error with %q", yml, ferr, why)
		}
		if _, ok := yamlToken([]byte(yml)); ok && !strings.Contains(why, "YAML feature") && !strings.Contains(why, "escape") && !strings.Contains(why, "expected key") {
			t.Errorf("%q: yaml.v3 accepts what the reader calls malformed (%s)", yml, why)
		}
	}
}

// Discovery: GH_TOKEN and GITHUB_TOKEN first, as gh; then hosts.yml under
// GH_CONFIG_DIR, else $XDG_CONFIG_HOME/gh, else ~/.config/gh; a malformed
// file is an unusable credential naming the file and the line.
func TestGitHubDiscoversHostsYML(t *testing.T) {
	home := t.TempDir()
	write := func(dir, content string) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "hosts.yml"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	find := func(vars map[string]string) []Credential {
		return GitHub(Env{Getenv: func(k string) string { return vars[k] }, Home: home})
	}
	if got := find(nil); len(got) != 0 {
		t.Fatalf("no file: found %v", got)
	}
	write(filepath.Join(home, ".config", "gh"), ghHostsShapes["old"].yml)
	got := find(map[string]string{"GH_TOKEN": "ghp_env"})
	if len(got) != 2 || got[0].Source != "env GH_TOKEN" || got[1].Source != "file ~/.config/gh/hosts.yml" || got[1].Value != ghTok {
		t.Fatalf("GH_TOKEN then ~/.config/gh/hosts.yml: got %+v", got)
	}

	xdg := filepath.Join(home, "xdg")
	write(filepath.Join(xdg, "gh"), ghHostsShapes["keyring"].yml)
	if got := find(map[string]string{"XDG_CONFIG_HOME": xdg}); len(got) != 0 {
		t.Fatalf("a keyring hosts.yml under XDG_CONFIG_HOME holds no token; found %+v", got)
	}

	custom := filepath.Join(home, "ghconf")
	write(custom, "github.com:\n    oauth_token: x\n    user: y\n\tbad\n")
	got = find(map[string]string{"GH_CONFIG_DIR": custom, "XDG_CONFIG_HOME": xdg})
	if len(got) != 1 || got[0].Err == nil || got[0].Value != "" {
		t.Fatalf("malformed GH_CONFIG_DIR/hosts.yml: got %+v", got)
	}
	msg := got[0].Err.Error()
	if !strings.Contains(msg, "ghconf/hosts.yml is malformed at line 4") || !strings.Contains(got[0].Err.Hint, "gh auth login") {
		t.Errorf("message %q, hint %q: want the file, the line and the next step", msg, got[0].Err.Hint)
	}
}
