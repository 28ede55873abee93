package lite

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/config/minitoml"
)

// ModalProfile is one table of ~/.modal.toml (the tags are BurntSushi/toml's, in package credential).
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

// modalHint is the next step for a Modal config file that cannot be used.
const modalHint = "fix the file, or run `modal token new` to write it again (MODAL_CONFIG_PATH moves it)"

// ModalActiveProfile picks the profile the Modal client would use:
// MODAL_PROFILE, else the one marked active, else "default". It returns its
// name and contents, and false when the file or the profile does not exist;
// a file that exists but cannot be used gives a *FileError.
func (r Readers) ModalActiveProfile(env Env) (string, ModalProfile, bool, *FileError) {
	name, p, ok, _, ferr := modalProfile(env, r)
	return name, p, ok, ferr
}

// modalProfile is ModalActiveProfile with the file's modification time.
func modalProfile(env Env, r Readers) (string, ModalProfile, bool, time.Time, *FileError) {
	path := ModalConfigFile(env)
	data, mod, ferr := readFile(env, path, modalHint)
	if ferr != nil || data == nil {
		return "", ModalProfile{}, false, mod, ferr
	}
	profiles, ferr := r.ModalTOML(env.Pretty(path), data)
	if ferr != nil {
		ferr.Hint = modalHint
		return "", ModalProfile{}, false, mod, ferr
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
	return name, p, ok, mod, nil
}

// smallModalTOML reads a Modal config with minitoml, exactly as
// BurntSushi/toml decodes it into map[string]ModalProfile, or declines.
func smallModalTOML(file string, data []byte) (map[string]ModalProfile, *FileError) {
	declined := &FileError{File: file, Unsupported: true, Why: "TOML the fast path's reader does not read"}
	doc, err := minitoml.Parse(data)
	if err != nil {
		return nil, declined
	}
	profiles := make(map[string]ModalProfile, len(doc))
	for name, v := range doc {
		table, ok := v.(map[string]any)
		if !ok {
			return nil, declined // a value outside a table: BurntSushi refuses it
		}
		var p ModalProfile
		for key, v := range table {
			ok := true
			switch key {
			case "token_id":
				p.TokenID, ok = v.(string)
			case "token_secret":
				p.TokenSecret, ok = v.(string)
			case "server_url":
				p.ServerURL, ok = v.(string)
			case "active":
				p.Active, ok = v.(bool)
			default:
				// BurntSushi skips unknown keys, but matches a field's name
				// in any case: leave that to it.
				for _, f := range []string{"token_id", "token_secret", "server_url", "active"} {
					ok = ok && !strings.EqualFold(key, f)
				}
			}
			if !ok {
				return nil, declined
			}
		}
		profiles[name] = p
	}
	return profiles, nil
}

// Modal finds Modal token pairs. Like the Modal client, each half may come
// from the environment or the profile independently; the environment wins.
// A config file that cannot be used comes after a full pair from the
// environment, or alone when it would have supplied a half.
func (r Readers) Modal(env Env) []Credential {
	envID, envSecret := env.Get("MODAL_TOKEN_ID"), env.Get("MODAL_TOKEN_SECRET")
	path := ModalConfigFile(env)
	name, p, ok, mod, ferr := modalProfile(env, r)
	if ferr != nil {
		bad := unusable("modal", "file "+env.Pretty(path), ferr)
		if envID != "" && envSecret != "" {
			return []Credential{{Provider: "modal", Source: "env MODAL_TOKEN_ID", Var: "MODAL_TOKEN_ID", Value: envID, Secret: envSecret}, bad}
		}
		return []Credential{bad}
	}
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
			Value: p.TokenID, Secret: p.TokenSecret, ModTime: mod})
	}
	return found
}
