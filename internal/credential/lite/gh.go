package lite

import (
	"bytes"
	"path/filepath"
	"strings"
)

// GHConfigDir is where the gh CLI keeps hosts.yml: GH_CONFIG_DIR, else
// $XDG_CONFIG_HOME/gh, else ~/.config/gh.
func GHConfigDir(env Env) string {
	if d := env.Get("GH_CONFIG_DIR"); d != "" {
		return d
	}
	if x := env.Get("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "gh")
	}
	return filepath.Join(env.Home, ".config", "gh")
}

// ghHostsHint is the next step for a hosts.yml that cannot be used.
const ghHostsHint = "fix the file or run `gh auth login` again (GH_CONFIG_DIR moves it)"

// ghHosts finds the token gh stores for github.com in hosts.yml, where gh
// reads it after GH_TOKEN and GITHUB_TOKEN. Newer gh keeps tokens in the
// system keyring and hosts.yml then has no oauth_token: nothing to find.
func ghHosts(env Env) []Credential {
	path := filepath.Join(GHConfigDir(env), "hosts.yml")
	source := "file " + env.Pretty(path)
	data, mod, ferr := readFile(env, path, ghHostsHint)
	if ferr != nil {
		return []Credential{unusable("github", source, ferr)}
	}
	token, ferr := ghHostsToken(data, "github.com")
	if ferr != nil {
		ferr.File, ferr.Hint = env.Pretty(path), ghHostsHint
		return []Credential{unusable("github", source, ferr)}
	}
	if token == "" {
		return nil
	}
	return []Credential{{Provider: "github", Source: source, Var: "gh's oauth_token", Value: token, ModTime: mod}}
}

// ghHostsToken reads host's oauth_token from the YAML gh writes: a block
// mapping of hosts, each a block mapping of scalars and nested mappings
// (users:). It is a reader of that shape, not of all YAML: anything it
// cannot place (tabs, a line that is not "key: value", an unclosed quote,
// a value followed by a deeper line) is an error rather than a guess. A
// full YAML library would cost every shell start about a millisecond of
// package initialisation (tokenage links this package).
func ghHostsToken(data []byte, host string) (string, *FileError) {
	type level struct {
		indent, child int // child: the indent of its keys, -1 until one is seen
		key           string
	}
	stack := []level{{indent: -1, child: -1}} // the keys above the current line, under a root
	scalarIndent := -1                        // the indent of the line before when it held a value
	token := ""
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte order mark, as an editor may save it
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimRight(string(raw), " \r")
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		if body == "" || body[0] == '#' || n == 0 && body == "---" {
			continue
		}
		bad := func(why string) (string, *FileError) {
			return "", &FileError{Malformed: true, Line: n + 1, Why: why}
		}
		switch {
		case body[0] == '\t':
			return bad("a tab in the indentation (YAML indents with spaces)")
		case strings.ContainsFunc(body, func(r rune) bool { return r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }):
			return bad("a control character or line break inside a line")
		case scalarIndent >= 0 && indent > scalarIndent:
			return bad("a line indented under a key that already has a value")
		}
		for stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		switch top := &stack[len(stack)-1]; {
		case top.child < 0:
			top.child = indent
		case top.child != indent:
			return bad("the indentation does not match the lines above")
		}
		scalarIndent = -1
		if strings.HasPrefix(body, "- ") || body == "-" {
			continue // a sequence item: gh writes none we read
		}
		key, value, scalar, why := ghKeyValue(body)
		if why != "" {
			return bad(why)
		}
		if scalar {
			scalarIndent = indent
			if len(stack) == 2 && stack[1].key == host && key == "oauth_token" {
				token = value
			}
		}
		stack = append(stack, level{indent, -1, key})
	}
	return token, nil
}

// ghKeyValue splits "key: value # comment" into the key and the scalar,
// unquoting either. scalar is false for "key:" (a nested block follows, or
// null); a plain null (~, null) is the value "".
func ghKeyValue(body string) (key, value string, scalar bool, why string) {
	key, rest, why := ghScalar(body, true)
	if why != "" {
		return "", "", false, why
	}
	if !strings.HasPrefix(rest, ":") {
		return "", "", false, "expected key: value"
	}
	rest = strings.TrimLeft(rest[1:], " ")
	if rest == "" || rest[0] == '#' {
		return key, "", false, ""
	}
	quoted := rest[0] == '"' || rest[0] == '\''
	value, rest, why = ghScalar(rest, false)
	if why != "" {
		return "", "", false, why
	}
	if rest = strings.TrimLeft(rest, " "); rest != "" && rest[0] != '#' {
		return "", "", false, "unexpected text after the value"
	}
	if !quoted && (value == "~" || strings.EqualFold(value, "null")) {
		value = ""
	}
	return key, value, true, ""
}

// ghScalar reads one plain, 'single' or "double" quoted scalar from the
// start of s and returns it and what follows. A key ends at ": " or a
// final ":"; a plain value runs to " #" or the end of the line.
func ghScalar(s string, isKey bool) (scalar, rest, why string) {
	switch {
	case strings.HasPrefix(s, "'"):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '\'' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), s[i+1:], ""
		}
		return "", "", "an unclosed ' quote"
	case strings.HasPrefix(s, `"`):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '"':
				return b.String(), s[i+1:], ""
			case '\\':
				// Tokens have no escapes; other escapes are not ours to decode.
				if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					b.WriteByte(s[i+1])
					i++
					continue
				}
				return "", "", `an escape this reader does not decode in a "quoted" string`
			default:
				b.WriteByte(s[i])
			}
		}
		return "", "", `an unclosed " quote`
	case strings.ContainsAny(s[:1], "{[&*!|>%@`"):
		if isKey {
			return "", "", "a key this reader does not understand"
		}
		if s[0] == '{' || s[0] == '[' {
			return s, "", "" // a flow collection: kept whole, never an oauth_token
		}
		return "", "", "a YAML feature this reader does not understand (" + s[:1] + ")"
	}
	if isKey {
		i := strings.Index(s, ": ")
		if i < 0 && strings.HasSuffix(s, ":") {
			i = len(s) - 1
		}
		if i < 0 {
			return "", "", "expected key: value"
		}
		return strings.TrimRight(s[:i], " "), s[i:], ""
	}
	if i := strings.Index(s, " #"); i >= 0 {
		return strings.TrimRight(s[:i], " "), s[i:], ""
	}
	return s, "", ""
}
