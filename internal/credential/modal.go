package credential

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

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

// modalHint is the next step for a Modal config file that cannot be used.
const modalHint = "fix the file, or run `modal token new` to write it again (MODAL_CONFIG_PATH moves it)"

// ModalActiveProfile picks the profile the Modal client would use:
// MODAL_PROFILE, else the one marked active, else "default". It returns its
// name and contents, and false when the file or the profile does not exist;
// a file that exists but cannot be used gives a *FileError.
func ModalActiveProfile(env Env) (string, ModalProfile, bool, *FileError) {
	name, p, ok, _, ferr := modalProfile(env)
	return name, p, ok, ferr
}

// modalProfile is ModalActiveProfile with the file's modification time.
func modalProfile(env Env) (string, ModalProfile, bool, time.Time, *FileError) {
	path := ModalConfigFile(env)
	data, mod, ferr := readFile(env, path, modalHint)
	if ferr != nil || data == nil {
		return "", ModalProfile{}, false, mod, ferr
	}
	var profiles map[string]ModalProfile
	if _, err := toml.Decode(string(data), &profiles); err != nil {
		return "", ModalProfile{}, false, mod, tomlError(env.Pretty(path), data, err)
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

// tomlLine splits BurntSushi/toml's "toml: line 3 (last key …): what"
// messages. Compiled on first use: the shell fast path links this package
// and must not pay for it at start.
var tomlLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^toml: line (\d+)(?: \([^)]*\))?: (.*)$`)
})

// tomlError describes a TOML file that does not parse, or does not have the
// shape of a Modal config (tables of strings and booleans).
func tomlError(file string, data []byte, err error) *FileError {
	e := &FileError{File: file, Malformed: true, Why: strings.TrimPrefix(err.Error(), "toml: "), Hint: modalHint}
	if m := tomlLine().FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Why = m[2]
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		// The parser counts a newline it stops at as the next line: the
		// byte offset says where the mistake is.
		e.Line = bytes.Count(data[:min(pe.Position.Start, len(data))], []byte("\n")) + 1
		e.Why = pe.Message
	}
	e.Why = strings.NewReplacer(`'\x00'`, "the end of the file", `'\n'`, "the end of the line").Replace(e.Why)
	return e
}

// Modal finds Modal token pairs. Like the Modal client, each half may come
// from the environment or the profile independently; the environment wins.
// A config file that cannot be used comes after a full pair from the
// environment, or alone when it would have supplied a half.
func Modal(env Env) []Credential {
	envID, envSecret := env.Get("MODAL_TOKEN_ID"), env.Get("MODAL_TOKEN_SECRET")
	path := ModalConfigFile(env)
	name, p, ok, mod, ferr := modalProfile(env)
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
