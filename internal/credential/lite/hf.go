package lite

import (
	"path/filepath"
	"strings"
)

// HFTokenFile is where huggingface_hub keeps the login token: HF_TOKEN_PATH,
// else $HF_HOME/token, HF_HOME defaulting to $XDG_CACHE_HOME/huggingface.
func HFTokenFile(env Env) string {
	if p := env.Get("HF_TOKEN_PATH"); p != "" {
		return p
	}
	home := env.Get("HF_HOME")
	if home == "" {
		cache := env.Get("XDG_CACHE_HOME")
		if cache == "" {
			cache = filepath.Join(env.Home, ".cache")
		}
		home = filepath.Join(cache, "huggingface")
	}
	return filepath.Join(home, "token")
}

// HF finds Hugging Face tokens in huggingface_hub's order: HF_TOKEN,
// HUGGING_FACE_HUB_TOKEN, then the token file.
func HF(env Env) []Credential {
	found := fromVars(env, "hf", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
	path := HFTokenFile(env)
	source := "file " + env.Pretty(path)
	data, mod, ferr := readFile(env, path, "run `hf auth login` to write the token file again, or set HF_TOKEN_PATH to a regular file")
	if ferr != nil {
		return append(found, unusable("hf", source, ferr))
	}
	// The client strips the newline `hf auth login` writes; so do we.
	if v := strings.TrimSpace(string(data)); v != "" {
		found = append(found, Credential{Provider: "hf", Source: source, Var: "the HF token file", Value: v, ModTime: mod})
	}
	return found
}
