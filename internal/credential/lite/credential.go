// Package lite finds the credentials an ML job uses, where each ecosystem's
// own client looks (environment variables and the clients' files), without
// any network and without the TOML and URL libraries, whose start-up every
// new shell would pay (issue 18). Package credential is its face for the
// other tools, with BurntSushi/toml and net/url behind the same finders;
// tokenage's fast path uses Small, whose readers decline (FileError's
// Unsupported) whatever they do not read exactly as those libraries would.
package lite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// Credential is one credential as a client would find it.
type Credential struct {
	Provider string
	// Source says where it was read, e.g. "env HF_TOKEN" or "file ~/.cache/huggingface/token".
	Source string
	// Var is the name people know the value by (HF_TOKEN, MODAL_TOKEN_ID), for messages.
	Var   string
	Value string
	// Secret is the second half of a pair (the Modal token secret); empty otherwise.
	Secret string
	// ModTime is the modification time of the file the value came from, if any.
	ModTime time.Time
	// Err is set when a client would read its credential from a file that
	// exists but cannot be used (unreadable, not a regular file, too large,
	// malformed). Value and Secret are then empty.
	Err *FileError
}

// FileError is a credential file that exists but cannot be used.
type FileError struct {
	File      string // as people know it: "~/.modal.toml"
	Malformed bool   // read, but not in the file's format
	Line      int    // the line a malformed file goes wrong on, if known
	Why       string
	Hint      string // the next step
	// Unsupported: a small reader (Small) declined the file; read it again
	// with the full readers (package credential).
	Unsupported bool
}

func (e *FileError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s is malformed at line %d: %s", e.File, e.Line, e.Why)
	case e.Malformed:
		return fmt.Sprintf("%s is malformed: %s", e.File, e.Why)
	}
	return fmt.Sprintf("cannot read %s: %s", e.File, e.Why)
}

// Masked is the value as it may be shown: "hf_…wxyz".
func (c Credential) Masked() string { return redact.Mask(c.Value) }

// Fingerprint identifies the credential (both halves of a pair) without revealing it.
func (c Credential) Fingerprint() string {
	if c.Secret != "" {
		return redact.Fingerprint(c.Value + "\x00" + c.Secret)
	}
	return redact.Fingerprint(c.Value)
}

// Env is where discovery looks: environment variables and the home directory.
// Tests pass their own.
type Env struct {
	Getenv func(string) string
	Home   string
}

// OSEnv is the process environment.
func OSEnv() Env {
	home, _ := os.UserHomeDir()
	return Env{Getenv: os.Getenv, Home: home}
}

// Get returns an environment variable.
func (e Env) Get(name string) string { return e.Getenv(name) }

// Pretty shortens a path under the home directory to ~/….
func (e Env) Pretty(path string) string {
	if e.Home != "" {
		if rel, err := filepath.Rel(e.Home, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join("~", rel)
		}
	}
	return path
}

// Finder is where one provider's credentials are found.
type Finder struct {
	Provider string // short name: "hf"
	Title    string // the name people know: "Hugging Face"
	// Find returns the credentials the provider's client would find, the one it uses first.
	Find func(env Env) []Credential
}

// Readers decode the formats that have a small reader here and a full one
// in package credential.
type Readers struct {
	// ModalTOML decodes a Modal config file into its profiles, as
	// BurntSushi/toml decodes it into map[string]ModalProfile; file names it.
	ModalTOML func(file string, data []byte) (map[string]ModalProfile, *FileError)
	// URLHost is url.Parse(raw).Hostname(), "" when raw does not parse; ok
	// is false when the reader cannot tell.
	URLHost func(raw string) (host string, ok bool)
}

// Small are the readers that link no TOML or URL library.
var Small = Readers{ModalTOML: smallModalTOML, URLHost: smallURLHost}

// Finders lists every provider, in the order reports show them.
func (r Readers) Finders() []Finder {
	return []Finder{
		{"hf", "Hugging Face", HF},
		{"modal", "Modal", r.Modal},
		{"github", "GitHub", GitHub},
		{"wandb", "W&B", r.WandB},
		{"openai", "OpenAI", OpenAI},
		{"anthropic", "Anthropic", Anthropic},
	}
}

// FindAll returns the credentials of every provider, in report order.
func (r Readers) FindAll(env Env) []Credential {
	var all []Credential
	for _, f := range r.Finders() {
		all = append(all, f.Find(env)...)
	}
	return all
}

// fromVars returns one credential per non-empty variable, in order.
func fromVars(env Env, provider string, names ...string) []Credential {
	var found []Credential
	for _, name := range names {
		if v := env.Get(name); v != "" {
			found = append(found, Credential{Provider: provider, Source: "env " + name, Var: name, Value: v})
		}
	}
	return found
}

// readFile reads a credential file the way every client file is read here:
// without blocking on a pipe or device, and within smallfile's bound. A
// missing file gives nil data and no error; anything else that stops the
// read is a *FileError with hint as its next step.
func readFile(env Env, path, hint string) ([]byte, time.Time, *FileError) {
	data, fi, err := smallfile.Read(path, smallfile.CredentialLimit)
	var se *smallfile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, time.Time{}, nil
	case errors.As(err, &se):
		return nil, time.Time{}, &FileError{File: env.Pretty(path), Why: se.Why, Hint: hint}
	case err != nil:
		return nil, time.Time{}, &FileError{File: env.Pretty(path), Why: err.Error(), Hint: hint}
	}
	return data, fi.ModTime(), nil
}

// unusable is the entry for a credential file that could not be used, in
// the place of the credential a client would have read from it.
func unusable(provider, source string, err *FileError) Credential {
	return Credential{Provider: provider, Source: source, Var: err.File, Err: err}
}
