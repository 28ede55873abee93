package credential

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// WandBHost is the API host whose netrc entry holds the W&B key: the host
// of WANDB_BASE_URL, else api.wandb.ai.
func WandBHost(env Env) string {
	if v := strings.TrimSpace(env.Get("WANDB_BASE_URL")); v != "" {
		if u, err := url.Parse(strings.TrimRight(v, "/")); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return "api.wandb.ai"
}

// WandB finds WANDB_API_KEY, then the netrc entry (NETRC, else ~/.netrc) for the API host.
func WandB(env Env) []Credential {
	found := fromVars(env, "wandb", "WANDB_API_KEY")
	path := env.Get("NETRC")
	if path == "" {
		path = filepath.Join(env.Home, ".netrc")
	}
	host := WandBHost(env)
	source := "file " + env.Pretty(path) + " machine " + host
	hint := "fix " + env.Pretty(path) + " (`wandb login --relogin` rewrites its entry), or set WANDB_API_KEY"
	data, mod, ferr := readFile(env, path, hint)
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
