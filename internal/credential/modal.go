package credential

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/BurntSushi/toml"
)

// ModalProfile is one table of ~/.modal.toml.
type ModalProfile struct {
	TokenID     string `toml:"token_id"`
	TokenSecret string `toml:"token_secret"`
	Active      bool   `toml:"active"`
	ServerURL   string `toml:"server_url"`
}

// ModalConfigFile is MODAL_CONFIG_PATH, else ~/.modal.toml.
func ModalConfigFile(env Env) string {
	if p := env.Get("MODAL_CONFIG_PATH"); p != "" {
		return p
	}
	return filepath.Join(env.Home, ".modal.toml")
}

// ModalActiveProfile picks the profile the Modal client would use:
// MODAL_PROFILE, else the one marked active, else "default". It returns its
// name and contents, and false when the file or the profile does not exist.
func ModalActiveProfile(env Env) (string, ModalProfile, bool) {
	var profiles map[string]ModalProfile
	if _, err := toml.DecodeFile(ModalConfigFile(env), &profiles); err != nil {
		return "", ModalProfile{}, false
	}
	name := env.Get("MODAL_PROFILE")
	if name == "" {
		names := make([]string, 0, len(profiles))
		for n := range profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		name = "default"
		for _, n := range names {
			if profiles[n].Active {
				name = n
				break
			}
		}
	}
	p, ok := profiles[name]
	return name, p, ok
}

// Modal finds Modal token pairs. Like the Modal client, each half may come
// from the environment or the profile independently; the environment wins.
func Modal(env Env) []Credential {
	envID, envSecret := env.Get("MODAL_TOKEN_ID"), env.Get("MODAL_TOKEN_SECRET")
	path := ModalConfigFile(env)
	name, p, ok := ModalActiveProfile(env)
	fileSource := fmt.Sprintf("%s profile %q", env.Pretty(path), name)
	var found []Credential
	if envID != "" || envSecret != "" {
		c := Credential{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: envID, Secret: envSecret}
		if envID == "" && ok {
			c.Value, c.Source = p.TokenID, fileSource+" + env MODAL_TOKEN_SECRET"
		}
		if envSecret == "" && ok {
			c.Secret, c.Source = p.TokenSecret, "env MODAL_TOKEN_ID + "+fileSource
		}
		found = append(found, c)
	}
	if ok && (p.TokenID != "" || p.TokenSecret != "") {
		found = append(found, Credential{Provider: "modal", Source: fileSource, Var: "token_id in " + fileSource,
			Value: p.TokenID, Secret: p.TokenSecret, ModTime: modTime(path)})
	}
	return found
}
