package lite

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// WandBHost is the API host whose netrc entry holds the W&B key: the host
// of WANDB_BASE_URL, else api.wandb.ai. ok is false when URLHost cannot tell.
func (r Readers) WandBHost(env Env) (host string, ok bool) {
	if v := strings.TrimSpace(env.Get("WANDB_BASE_URL")); v != "" {
		if h, ok := r.URLHost(strings.TrimRight(v, "/")); !ok || h != "" {
			return h, ok
		}
	}
	return "api.wandb.ai", true
}

// smallURLHost reads the host of the URLs people set WANDB_BASE_URL to
// (scheme://host[:port][/path]) with plain code, not net/url; it cannot
// tell for anything else (user info, IP v6, escapes, no scheme).
func smallURLHost(raw string) (string, bool) {
	scheme, rest, ok := strings.Cut(raw, "://")
	authority, path, _ := strings.Cut(rest, "/")
	host, port, _ := strings.Cut(authority, ":")
	if !ok || scheme == "" || !isAlpha(scheme[0]) || !only(scheme, "+-.") || host == "" || !only(host, ".-") ||
		strings.Trim(port, "0123456789") != "" || !only(path, "-._~/") {
		return "", false
	}
	return host, true
}

// only reports whether s holds nothing but ASCII letters, digits and bytes of extra.
func only(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) && !(s[i] >= '0' && s[i] <= '9') && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isAlpha(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// WandB finds WANDB_API_KEY, then the netrc entry (NETRC, else ~/.netrc) for the API host.
func (r Readers) WandB(env Env) []Credential {
	found := fromVars(env, "wandb", "WANDB_API_KEY")
	path := env.Get("NETRC")
	if path == "" {
		path = filepath.Join(env.Home, ".netrc")
	}
	host, hostKnown := r.WandBHost(env)
	source := "file " + env.Pretty(path) + " machine " + host
	hint := "fix " + env.Pretty(path) + " (`wandb login --relogin` rewrites its entry), or set WANDB_API_KEY"
	data, mod, ferr := readFile(env, path, hint)
	if ferr == nil && data != nil && !hostKnown {
		ferr = &FileError{File: env.Pretty(path), Unsupported: true, Why: "WANDB_BASE_URL has a form the fast path's reader does not read", Hint: hint}
	}
	if ferr == nil && data != nil {
		var pw string
		if pw, ferr = NetrcPassword(data, host); ferr != nil {
			ferr.File, ferr.Hint = env.Pretty(path), hint
		} else if pw != "" {
			found = append(found, Credential{Provider: "wandb", Source: source,
				Var: "the netrc password for " + host, Value: pw, ModTime: mod})
		}
	}
	if ferr != nil {
		found = append(found, unusable("wandb", source, ferr))
	}
	return found
}

// NetrcPassword returns the password of the first machine host entry in a
// netrc file, or "" when there is none. It follows Python's netrc module,
// which the W&B client reads the file with: whitespace-separated
// keyword/value pairs that may span lines; entries start with machine NAME or
// default; a word starting with # in the place of a keyword comments out the
// rest of its line; a macdef body runs to the next blank line. What that
// module refuses (an unknown keyword, login or password outside an entry, a
// machine or macdef without a name) makes the file malformed; the error
// leaves File for the caller to set.
func NetrcPassword(data []byte, host string) (string, *FileError) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	inEntry, inMachine, inMacro := false, false, false
	pending, pendingLine := "", 0 // a keyword waiting for its value
	password := ""
	malformed := func(line int, format string, args ...any) (string, *FileError) {
		return "", &FileError{Malformed: true, Line: line, Why: fmt.Sprintf(format, args...)}
	}
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if inMacro {
			inMacro = strings.TrimSpace(line) != ""
			continue
		}
		for _, w := range strings.Fields(line) {
			if pending != "" {
				switch pending {
				case "machine":
					inEntry, inMachine = true, w == host
				case "password":
					if inMachine && password == "" {
						password = w
					}
				case "macdef":
					inEntry, inMachine, inMacro = false, false, true
				}
				pending = ""
				if inMacro {
					break // the body starts on the next line
				}
				continue
			}
			if strings.HasPrefix(w, "#") {
				break
			}
			switch w {
			case "default":
				inEntry, inMachine = true, false
			case "machine", "macdef":
				pending, pendingLine = w, n
			case "login", "user", "account", "password":
				if !inEntry {
					return malformed(n, "%q outside a machine entry", w)
				}
				pending, pendingLine = w, n
			default:
				return malformed(n, "unknown keyword %q (netrc knows machine, default, login, account, password and macdef)", w)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", &FileError{Malformed: true, Why: err.Error()}
	}
	if pending == "machine" || pending == "macdef" {
		return malformed(pendingLine, "%q has no name", pending)
	}
	return password, nil
}
