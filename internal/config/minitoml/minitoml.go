// Package minitoml reads the small part of TOML that the files on the shell
// fast path use (~/.modal.toml, the [tokenage] table): tables named by
// [bare.keys], bare keys set to a string, a boolean or a one-line array of
// strings, and comments. It links no TOML library, whose start-up every new
// shell would pay (issue 18). It never guesses: anything else, valid TOML or
// not, is ErrUnsupported, and the caller then reads the file with the full
// library. Whatever it accepts it decodes as github.com/BurntSushi/toml
// decodes into map[string]any (FuzzParse holds it to that).
package minitoml

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrUnsupported means the document uses TOML this reader does not read (or
// is not TOML at all): read it with the full TOML library instead.
var ErrUnsupported = errors.New("outside the TOML this reader reads")

// Parse decodes a document into tables (map[string]any) of strings, bools and
// []any of strings.
func Parse(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) || strings.HasPrefix(string(data), "\uFEFF") {
		return nil, ErrUnsupported
	}
	root := map[string]any{}
	defined := map[string]bool{} // header paths already used, joined by "."
	cur := root
	lines := strings.Split(string(data), "\n")
	for n, line := range lines {
		unsupported := func() (map[string]any, error) { return nil, fmt.Errorf("line %d: %w", n+1, ErrUnsupported) }
		if n < len(lines)-1 {
			line = strings.TrimSuffix(line, "\r") // CRLF line ends
		}
		if strings.ContainsFunc(line, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return unsupported()
		}
		line = trimSpace(line)
		switch {
		case line == "" || line[0] == '#':
			continue
		case line[0] == '[':
			path, rest, ok := header(line)
			if !ok || !endOfLine(rest) || defined[strings.Join(path, ".")] {
				return unsupported()
			}
			defined[strings.Join(path, ".")] = true
			t := root
			for _, k := range path {
				switch v := t[k].(type) {
				case nil:
					sub := map[string]any{}
					t[k] = sub
					t = sub
				case map[string]any:
					t = v
				default:
					return unsupported() // a key that already holds a value
				}
			}
			cur = t
		default:
			key, rest := bareKey(line)
			rest = trimSpace(rest)
			if key == "" || !strings.HasPrefix(rest, "=") {
				return unsupported() // a dotted or quoted key, or no "="
			}
			v, rest, ok := value(trimSpace(rest[1:]))
			if !ok || !endOfLine(rest) {
				return unsupported()
			}
			if _, dup := cur[key]; dup {
				return unsupported()
			}
			cur[key] = v
		}
	}
	return root, nil
}

// header reads "[a.b.c]" and returns the keys and what follows "]".
func header(line string) (path []string, rest string, ok bool) {
	rest = line[1:]
	for {
		var k string
		k, rest = bareKey(trimSpace(rest))
		if k == "" {
			return nil, "", false
		}
		path = append(path, k)
		rest = trimSpace(rest)
		switch {
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
		case strings.HasPrefix(rest, "]"):
			return path, rest[1:], true
		default:
			return nil, "", false
		}
	}
}

// bareKey splits a leading bare key (A-Za-z0-9_-) from s.
func bareKey(s string) (key, rest string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' || s[i] == '_' || s[i] == '-') {
		i++
	}
	return s[:i], s[i:]
}

// value reads a string, a boolean or a one-line array of strings.
func value(s string) (v any, rest string, ok bool) {
	switch {
	case strings.HasPrefix(s, "true"):
		return true, s[4:], delimited(s[4:])
	case strings.HasPrefix(s, "false"):
		return false, s[5:], delimited(s[5:])
	case strings.HasPrefix(s, "["):
		items := []any{}
		rest = trimSpace(s[1:])
		for !strings.HasPrefix(rest, "]") {
			var str string
			if str, rest, ok = quoted(rest); !ok {
				return nil, "", false
			}
			items = append(items, str)
			rest = trimSpace(rest)
			if strings.HasPrefix(rest, ",") {
				rest = trimSpace(rest[1:])
			} else if !strings.HasPrefix(rest, "]") {
				return nil, "", false
			}
		}
		return items, rest[1:], true
	}
	return quoted(s)
}

// quoted reads a "basic" string without escapes or a 'literal' string, on one line.
func quoted(s string) (str, rest string, ok bool) {
	if s == "" || s[0] != '"' && s[0] != '\'' || strings.HasPrefix(s, `"""`) || strings.HasPrefix(s, "'''") {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 || s[0] == '"' && strings.Contains(s[1:1+end], `\`) {
		return "", "", false // unclosed, or an escape
	}
	return s[1 : 1+end], s[2+end:], true
}

// delimited reports whether a bare word ends where s starts.
func delimited(s string) bool {
	return s == "" || strings.ContainsAny(s[:1], " \t#,]")
}

// endOfLine reports whether s is only white space and a comment.
func endOfLine(s string) bool {
	s = trimSpace(s)
	return s == "" || s[0] == '#'
}

func trimSpace(s string) string { return strings.Trim(s, " \t") }
