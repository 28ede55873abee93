package hub

import (
	"fmt"
	"net/url"
	"strings"
)

// RemoteRepo is a Hub repository a git remote URL points at.
type RemoteRepo struct {
	ID   string // "alice/llama-ft"
	Type string // model, dataset or space
	// Token is a credential embedded in the URL (https://user:hf_…@host/…):
	// it is what git will use, and it is itself a risk (it sits in .git/config
	// in clear text).
	Token string
}

// hubHosts are the hosts of the Hugging Face Hub; the HF_ENDPOINT host is added by the caller.
var hubHosts = []string{"huggingface.co", "hf.co"}

// ParseRemote recognises a Hub repository in a git remote URL, in https
// and ssh forms: https://huggingface.co/alice/m, …/datasets/alice/d,
// …/spaces/alice/s, git@hf.co:alice/m, ssh://git@hf.co/datasets/alice/d.
// extraHost is the host of HF_ENDPOINT, when set.
func ParseRemote(remote, extraHost string) (RemoteRepo, bool) {
	hosts := hubHosts
	if extraHost != "" {
		hosts = append([]string{extraHost}, hubHosts...)
	}
	host, path, token, ok := splitRemote(remote)
	if !ok {
		return RemoteRepo{}, false
	}
	if !hostMatches(host, hosts) {
		return RemoteRepo{}, false
	}
	parts := strings.Split(strings.Trim(strings.TrimSuffix(strings.Trim(path, "/"), ".git"), "/"), "/")
	kind := "model"
	if len(parts) == 3 && (parts[0] == "datasets" || parts[0] == "spaces") {
		kind = strings.TrimSuffix(parts[0], "s")
		parts = parts[1:]
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return RemoteRepo{}, false
	}
	return RemoteRepo{ID: parts[0] + "/" + parts[1], Type: kind, Token: token}, true
}

// RemoteHost is the host of an https, ssh or scp-like git URL ("" for a
// local path): the key of per-host settings.
func RemoteHost(remote string) string {
	host, _, _, ok := splitRemote(remote)
	if !ok {
		return ""
	}
	if h, _, found := strings.Cut(host, ":"); found {
		return h
	}
	return host
}

// splitRemote takes a git URL apart: host (with a port for http(s)), path,
// and a token written into it (https://user:hf_…@host/…).
func splitRemote(remote string) (host, path, token string, ok bool) {
	if u, err := url.Parse(remote); err == nil && u.Scheme != "" && u.Host != "" {
		host, path = u.Host, u.Path
		if u.User != nil {
			if pw, ok := u.User.Password(); ok {
				token = pw
			} else if name := u.User.Username(); strings.HasPrefix(name, "hf_") {
				token = name
			}
		}
		if u.Scheme == "ssh" {
			host = u.Hostname()
		}
		return host, path, token, true
	}
	if at := strings.Index(remote, "@"); at >= 0 && strings.Contains(remote[at:], ":") {
		// scp-like: git@hf.co:alice/model.git
		host, path, _ = strings.Cut(remote[at+1:], ":")
		return host, path, "", true
	}
	return "", "", "", false
}

// hostMatches compares hosts with and without a port.
func hostMatches(host string, hosts []string) bool {
	for _, h := range hosts {
		if strings.EqualFold(host, h) {
			return true
		}
		if hostOnly, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, ":") && strings.EqualFold(hostOnly, h) {
			return true
		}
	}
	return false
}

// ParseRepo reads a Hugging Face repository as "ID[:type]" with type model
// (the default), dataset or space, e.g. "alice/llama-ft:dataset".
func ParseRepo(s string) (id, kind string, err error) {
	id, kind, _ = strings.Cut(s, ":")
	if kind == "" {
		kind = "model"
	}
	if kind != "model" && kind != "dataset" && kind != "space" {
		return "", "", fmt.Errorf("unknown repository type %q in %q (model, dataset or space)", kind, s)
	}
	ns, name, ok := strings.Cut(id, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q is not of the form namespace/name", id)
	}
	return id, kind, nil
}
