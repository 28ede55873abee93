package credential

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
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
	if data, err := os.ReadFile(path); err == nil {
		if pw := NetrcPassword(data, host); pw != "" {
			found = append(found, Credential{Provider: "wandb", Source: "file " + env.Pretty(path) + " machine " + host,
				Var: "the netrc password for " + host, Value: pw, ModTime: modTime(path)})
		}
	}
	return found
}

// NetrcPassword returns the password of machine host in a netrc file, or "".
// The format is whitespace-separated keyword/value pairs; macdef bodies run to
// the next blank line.
func NetrcPassword(data []byte, host string) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	inMachine, inMacro := false, false
	var words []string
	for sc.Scan() {
		line := sc.Text()
		if inMacro {
			inMacro = strings.TrimSpace(line) != ""
			continue
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		words = strings.Fields(line)
		for i := 0; i < len(words); i++ {
			switch words[i] {
			case "machine":
				inMachine = i+1 < len(words) && words[i+1] == host
				i++
			case "default":
				inMachine = false
			case "macdef":
				inMacro = true
				i = len(words)
			case "password":
				if inMachine && i+1 < len(words) {
					return words[i+1]
				}
				i++
			case "login", "account":
				i++
			}
		}
	}
	return ""
}
