package token

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
)

// found is what a test expects of one discovered credential.
type found struct {
	source, value, secret string
}

func discovered(creds []Credential) []found {
	var out []found
	for _, c := range creds {
		out = append(out, found{c.Source, c.Value, c.Secret})
	}
	return out
}

func checkDiscovered(t *testing.T, p Provider, env Env, want []found) []Credential {
	t.Helper()
	creds := p.Discover(env)
	if got := discovered(creds); !slices.Equal(got, want) {
		t.Errorf("Discover =\n\t%+v\nwant\n\t%+v", got, want)
	}
	for _, c := range creds {
		if c.Provider != p.Name() {
			t.Errorf("credential from %s has provider %q, want %q", c.Source, c.Provider, p.Name())
		}
		if c.Var == "" {
			t.Errorf("credential from %s has no Var", c.Source)
		}
	}
	return creds
}

func TestHFDiscover(t *testing.T) {
	a, b, c := "hf_"+alnum(34), "hf_"+alnum(33)+"Z", "hf_Z"+alnum(33)
	tests := []struct {
		name  string
		vars  map[string]string
		files map[string]string // relative to the home directory
		want  []found
	}{
		{name: "nothing"},
		{name: "HF_TOKEN", vars: map[string]string{"HF_TOKEN": a},
			want: []found{{"env HF_TOKEN", a, ""}}},
		{name: "legacy variable", vars: map[string]string{"HUGGING_FACE_HUB_TOKEN": b},
			want: []found{{"env HUGGING_FACE_HUB_TOKEN", b, ""}}},
		{name: "default file, newline trimmed", files: map[string]string{".cache/huggingface/token": c + "\n"},
			want: []found{{"file ~/.cache/huggingface/token", c, ""}}},
		{name: "CRLF trimmed", files: map[string]string{".cache/huggingface/token": c + "\r\n"},
			want: []found{{"file ~/.cache/huggingface/token", c, ""}}},
		{name: "empty file", files: map[string]string{".cache/huggingface/token": "\n"}},
		{name: "precedence", vars: map[string]string{"HF_TOKEN": a, "HUGGING_FACE_HUB_TOKEN": b},
			files: map[string]string{".cache/huggingface/token": c},
			want:  []found{{"env HF_TOKEN", a, ""}, {"env HUGGING_FACE_HUB_TOKEN", b, ""}, {"file ~/.cache/huggingface/token", c, ""}}},
		{name: "XDG_CACHE_HOME", vars: map[string]string{"XDG_CACHE_HOME": "$HOME/xdg"},
			files: map[string]string{"xdg/huggingface/token": c, ".cache/huggingface/token": a},
			want:  []found{{"file ~/xdg/huggingface/token", c, ""}}},
		{name: "HF_HOME beats XDG_CACHE_HOME", vars: map[string]string{"HF_HOME": "$HOME/hfhome", "XDG_CACHE_HOME": "$HOME/xdg"},
			files: map[string]string{"hfhome/token": b, "xdg/huggingface/token": c},
			want:  []found{{"file ~/hfhome/token", b, ""}}},
		{name: "HF_TOKEN_PATH beats HF_HOME", vars: map[string]string{"HF_TOKEN_PATH": "$HOME/elsewhere/tok", "HF_HOME": "$HOME/hfhome"},
			files: map[string]string{"elsewhere/tok": a, "hfhome/token": b},
			want:  []found{{"file ~/elsewhere/tok", a, ""}}},
		{name: "HF_TOKEN_PATH missing", vars: map[string]string{"HF_TOKEN_PATH": "$HOME/nope"},
			files: map[string]string{".cache/huggingface/token": c}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			vars := map[string]string{}
			for k, v := range tc.vars {
				vars[k] = filepath.FromSlash(replaceHome(v, home))
			}
			for rel, data := range tc.files {
				writeFile(t, filepath.Join(home, rel), data)
			}
			creds := checkDiscovered(t, HF{}, Env{Getenv: func(k string) string { return vars[k] }, Home: home}, tc.want)
			for _, c := range creds {
				fromFile := c.Source[:5] == "file "
				if fromFile == c.ModTime.IsZero() {
					t.Errorf("%s: ModTime = %v", c.Source, c.ModTime)
				}
			}
		})
	}
}

// TestHFDiscoverOutsideHome keeps a path outside the home directory as it is.
func TestHFDiscoverOutsideHome(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	tok := hfToken()
	writeFile(t, path, tok)
	env := Env{Getenv: func(k string) string { return map[string]string{"HF_TOKEN_PATH": path}[k] }, Home: t.TempDir()}
	checkDiscovered(t, HF{}, env, []found{{"file " + path, tok, ""}})
}

func replaceHome(v, home string) string {
	if len(v) >= 5 && v[:5] == "$HOME" {
		return home + v[5:]
	}
	return v
}

func TestModalDiscover(t *testing.T) {
	id1, sec1 := "ak-"+alnum(22), "as-"+alnum(22)
	id2, sec2 := "ak-Z"+alnum(21), "as-Z"+alnum(21)
	id3, sec3 := "ak-Y"+alnum(21), "as-Y"+alnum(21)
	config := `# written by modal token new
[default]
token_id = "` + id1 + `"
token_secret = "` + sec1 + `"

[work]
token_id = "` + id2 + `"
token_secret = "` + sec2 + `"
active = true

[play]
token_id = "` + id3 + `"
token_secret = "` + sec3 + `"
`
	noActive := `[default]
token_id = "` + id1 + `"
token_secret = "` + sec1 + `"

[play]
token_id = "` + id3 + `"
token_secret = "` + sec3 + `"
`
	const (
		work    = `~/.modal.toml profile "work"`
		def     = `~/.modal.toml profile "default"`
		play    = `~/.modal.toml profile "play"`
		envBoth = "env MODAL_TOKEN_ID"
	)
	tests := []struct {
		name   string
		vars   map[string]string
		config string // ~/.modal.toml
		other  string // $HOME/other.toml
		want   []found
	}{
		{name: "nothing"},
		{name: "env pair", vars: map[string]string{"MODAL_TOKEN_ID": id1, "MODAL_TOKEN_SECRET": sec1},
			want: []found{{envBoth, id1, sec1}}},
		{name: "env id only", vars: map[string]string{"MODAL_TOKEN_ID": id1},
			want: []found{{envBoth, id1, ""}}},
		{name: "env secret only", vars: map[string]string{"MODAL_TOKEN_SECRET": sec1},
			want: []found{{envBoth, "", sec1}}},
		{name: "active profile", config: config, want: []found{{work, id2, sec2}}},
		{name: "default profile", config: noActive, want: []found{{def, id1, sec1}}},
		{name: "MODAL_PROFILE beats active", vars: map[string]string{"MODAL_PROFILE": "play"}, config: config,
			want: []found{{play, id3, sec3}}},
		{name: "MODAL_PROFILE unknown", vars: map[string]string{"MODAL_PROFILE": "nope"}, config: config},
		{name: "no default, none active", config: "[play]\ntoken_id = \"" + id3 + "\"\ntoken_secret = \"" + sec3 + "\"\n"},
		{name: "MODAL_CONFIG_PATH", vars: map[string]string{"MODAL_CONFIG_PATH": "$HOME/other.toml"}, config: config, other: noActive,
			want: []found{{`~/other.toml profile "default"`, id1, sec1}}},
		{name: "env beats file", vars: map[string]string{"MODAL_TOKEN_ID": id1, "MODAL_TOKEN_SECRET": sec1}, config: config,
			want: []found{{envBoth, id1, sec1}, {work, id2, sec2}}},
		{name: "id from env, secret from file", vars: map[string]string{"MODAL_TOKEN_ID": id1}, config: config,
			want: []found{{"env MODAL_TOKEN_ID + " + work, id1, sec2}, {work, id2, sec2}}},
		{name: "secret from env, id from file", vars: map[string]string{"MODAL_TOKEN_SECRET": sec1}, config: config,
			want: []found{{work + " + env MODAL_TOKEN_SECRET", id2, sec1}, {work, id2, sec2}}},
		// A broken file is reported in the place of the credential (its Err).
		{name: "broken toml", config: "[default\ntoken_id = 1", want: []found{{"file ~/.modal.toml", "", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			vars := map[string]string{}
			for k, v := range tc.vars {
				vars[k] = filepath.FromSlash(replaceHome(v, home))
			}
			if tc.config != "" {
				writeFile(t, filepath.Join(home, ".modal.toml"), tc.config)
			}
			if tc.other != "" {
				writeFile(t, filepath.Join(home, "other.toml"), tc.other)
			}
			checkDiscovered(t, Modal{}, Env{Getenv: func(k string) string { return vars[k] }, Home: home}, tc.want)
		})
	}
}

func TestWandBDiscover(t *testing.T) {
	key, other := hex40(), "f"+hex40()[1:]
	netrc := "machine github.com login me password nothere\nmachine api.wandb.ai\n  login user\n  password " + key + "\n"
	tests := []struct {
		name  string
		vars  map[string]string
		netrc string // ~/.netrc
		other string // $HOME/other-netrc
		want  []found
	}{
		{name: "nothing"},
		{name: "env", vars: map[string]string{"WANDB_API_KEY": key}, want: []found{{"env WANDB_API_KEY", key, ""}}},
		{name: "netrc", netrc: netrc, want: []found{{"file ~/.netrc machine api.wandb.ai", key, ""}}},
		{name: "env then netrc", vars: map[string]string{"WANDB_API_KEY": other}, netrc: netrc,
			want: []found{{"env WANDB_API_KEY", other, ""}, {"file ~/.netrc machine api.wandb.ai", key, ""}}},
		{name: "NETRC variable", vars: map[string]string{"NETRC": "$HOME/other-netrc"}, netrc: netrc,
			other: "machine api.wandb.ai password " + other + "\n",
			want:  []found{{"file ~/other-netrc machine api.wandb.ai", other, ""}}},
		{name: "host from WANDB_BASE_URL", vars: map[string]string{"WANDB_BASE_URL": "https://wandb.example.com:8443/"},
			netrc: netrc + "machine wandb.example.com login x password " + other + "\n",
			want:  []found{{"file ~/.netrc machine wandb.example.com", other, ""}}},
		{name: "other host only", vars: map[string]string{"WANDB_BASE_URL": "http://127.0.0.1:8080"}, netrc: netrc},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			vars := map[string]string{}
			for k, v := range tc.vars {
				vars[k] = filepath.FromSlash(replaceHome(v, home))
			}
			if tc.netrc != "" {
				writeFile(t, filepath.Join(home, ".netrc"), tc.netrc)
			}
			if tc.other != "" {
				writeFile(t, filepath.Join(home, "other-netrc"), tc.other)
			}
			checkDiscovered(t, WandB{}, Env{Getenv: func(k string) string { return vars[k] }, Home: home}, tc.want)
		})
	}
}

func TestNetrcPassword(t *testing.T) {
	const host = "api.wandb.ai"
	tests := []struct {
		name, netrc, want string
		badLine           int // the line a malformed file is reported on
	}{
		{name: "empty", netrc: "", want: ""},
		{name: "one line", netrc: "machine api.wandb.ai login user password KEY", want: "KEY"},
		{name: "several lines", netrc: "machine api.wandb.ai\n\tlogin user\n\tpassword KEY\n", want: "KEY"},
		{name: "pair across lines", netrc: "machine\napi.wandb.ai password\nKEY", want: "KEY"},
		{name: "password before login", netrc: "machine api.wandb.ai password KEY login user", want: "KEY"},
		{name: "other machine first", netrc: "machine github.com login a password GH\nmachine api.wandb.ai login b password KEY", want: "KEY"},
		{name: "other machine only", netrc: "machine github.com login a password GH", want: ""},
		{name: "prefix of the host", netrc: "machine api.wandb.ai.evil.com password BAD\nmachine wandb.ai password BAD2", want: ""},
		{name: "login named password", netrc: "machine api.wandb.ai login password password KEY", want: "KEY"},
		{name: "login named machine", netrc: "machine api.wandb.ai login machine password KEY", want: "KEY"},
		{name: "account", netrc: "machine api.wandb.ai account password password KEY", want: "KEY"},
		{name: "password without value", netrc: "machine api.wandb.ai password", want: ""},
		{name: "comment line", netrc: "# machine api.wandb.ai password BAD\nmachine api.wandb.ai password KEY", want: "KEY"},
		{name: "commented out entry", netrc: "# machine api.wandb.ai password BAD\n", want: ""},
		{name: "trailing comment", netrc: "machine api.wandb.ai password KEY # the W&B key", want: "KEY"},
		{name: "hash inside a value", netrc: "machine api.wandb.ai password KE#Y", want: "KE#Y"},
		{name: "macdef body skipped", netrc: "macdef init\nmachine api.wandb.ai password BAD\n\nmachine api.wandb.ai password KEY", want: "KEY"},
		{name: "macdef to the end", netrc: "machine other password X\nmacdef init\nmachine api.wandb.ai password BAD\n", want: ""},
		{name: "default is not the host", netrc: "default login anonymous password GUEST", want: ""},
		{name: "default ends the entry", netrc: "machine api.wandb.ai login u\ndefault password GUEST", want: ""},
		{name: "default after the entry", netrc: "machine api.wandb.ai password KEY\ndefault password GUEST", want: "KEY"},
		{name: "entry ended by another machine", netrc: "machine api.wandb.ai login u\nmachine other password OTHER", want: ""},
		{name: "CRLF", netrc: "machine api.wandb.ai\r\npassword KEY\r\n", want: "KEY"},
		{name: "tabs and spaces", netrc: "  machine\tapi.wandb.ai \t password\tKEY  ", want: "KEY"},
		// What Python's netrc module refuses, and the W&B client with it.
		{name: "machine without host", netrc: "machine", badLine: 1},
		{name: "unknown keyword", netrc: "machine api.wandb.ai\n  pasword KEY\n", badLine: 2},
		{name: "password outside an entry", netrc: "\npassword KEY\n", badLine: 2},
		{name: "macdef without a name", netrc: "machine a password b\nmacdef", badLine: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := netrcPassword([]byte(tc.netrc), host)
			var fe *credential.FileError
			switch {
			case tc.badLine > 0 && (!errors.As(err, &fe) || fe.Line != tc.badLine || !fe.Malformed):
				t.Errorf("netrcPassword(%q) = %q, %v; want malformed at line %d", tc.netrc, got, err, tc.badLine)
			case tc.badLine == 0 && (got != tc.want || err != nil):
				t.Errorf("netrcPassword(%q) = %q, %v; want %q", tc.netrc, got, err, tc.want)
			}
		})
	}
}

func TestGitHubDiscover(t *testing.T) {
	a, b := githubToken("ghp_", alnum(30)), githubToken("ghs_", alnum(30))
	checkDiscovered(t, GitHub{}, mapEnv(t, nil), nil)
	checkDiscovered(t, GitHub{}, mapEnv(t, map[string]string{"GITHUB_TOKEN": b}), []found{{"env GITHUB_TOKEN", b, ""}})
	checkDiscovered(t, GitHub{}, mapEnv(t, map[string]string{"GH_TOKEN": a, "GITHUB_TOKEN": b}),
		[]found{{"env GH_TOKEN", a, ""}, {"env GITHUB_TOKEN", b, ""}})
}

func TestSingleVariableDiscover(t *testing.T) {
	oa, an := openaiKey(), anthropicKey()
	env := mapEnv(t, map[string]string{"OPENAI_API_KEY": oa, "ANTHROPIC_API_KEY": an})
	checkDiscovered(t, OpenAI{}, env, []found{{"env OPENAI_API_KEY", oa, ""}})
	checkDiscovered(t, Anthropic{}, env, []found{{"env ANTHROPIC_API_KEY", an, ""}})
	checkDiscovered(t, OpenAI{}, mapEnv(t, nil), nil)
	checkDiscovered(t, Anthropic{}, mapEnv(t, nil), nil)
}

func TestEnvPretty(t *testing.T) {
	env := Env{Home: filepath.FromSlash("/home/alice")}
	for in, want := range map[string]string{
		"/home/alice/.netrc":     "~/.netrc",
		"/home/alice/a/b":        "~/a/b",
		"/home/alice":            "~",
		"/home/alicette/.netrc":  "/home/alicette/.netrc",
		"/etc/netrc":             "/etc/netrc",
		"/home/alice/../bob/tok": "/home/alice/../bob/tok",
	} {
		if got := env.Pretty(filepath.FromSlash(in)); got != filepath.FromSlash(want) {
			t.Errorf("Pretty(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (Env{}).Pretty("/x/y"); got != "/x/y" {
		t.Errorf("Pretty without a home = %q", got)
	}
}

func TestCredentialMaskAndFingerprint(t *testing.T) {
	c := Credential{Value: hfToken()}
	if got, want := c.Masked(), "hf_…"+c.Value[len(c.Value)-4:]; got != want {
		t.Errorf("Masked = %q, want %q", got, want)
	}
	pair := Credential{Value: modalID(), Secret: modalSecret()}
	other := pair
	other.Secret = "as-Q" + alnum(21)
	if pair.Fingerprint() == other.Fingerprint() {
		t.Error("two Modal pairs that differ only in the secret have the same fingerprint")
	}
	if pair.Fingerprint() == (Credential{Value: pair.Value}).Fingerprint() {
		t.Error("the fingerprint of a pair ignores the secret")
	}
	if len(c.Fingerprint()) != 16 {
		t.Errorf("fingerprint %q is not 16 hex digits", c.Fingerprint())
	}
}
