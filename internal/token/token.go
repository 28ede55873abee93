// Package token finds the credentials an ML job uses, checks their format
// offline and validates them live against each provider, one file per
// provider. No function here prints or logs a credential value.
package token

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// Status is the verdict on one credential.
type Status string

// The statuses, from best to worst for a job.
const (
	Valid        Status = "valid"
	Invalid      Status = "invalid"
	Expired      Status = "expired"
	Missing      Status = "missing"
	Insufficient Status = "insufficient" // valid, but lacks a role or scope the job needs
	Unknown      Status = "unknown"      // could not reach the service after retries
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

// Requirement is what a job needs of one provider: "hf:write" is provider hf at level write.
type Requirement struct {
	Provider string
	Level    string // provider-specific: "read"/"write" for hf, an OAuth scope for github
	// Repo is a Hugging Face repository the token must be able to write to ("user/name"), with its type.
	Repo, RepoType string
}

// String is the requirement as the user writes it.
func (r Requirement) String() string {
	if r.Level == "" {
		return r.Provider
	}
	return r.Provider + ":" + r.Level
}

// Problem is something wrong with a credential that the format alone shows.
type Problem struct {
	Fatal bool   // the credential cannot work; no live check is made
	Msg   string // what is wrong, naming the variable or file
	Hint  string // the next step
}

// Result is the verdict on one provider.
type Result struct {
	Provider    string    `json:"provider"`
	Requirement string    `json:"requirement,omitempty"`
	Required    bool      `json:"required"`
	Status      Status    `json:"status"`
	Source      string    `json:"source,omitempty"`
	Masked      string    `json:"masked,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Identity    string    `json:"identity,omitempty"`
	Role        string    `json:"role,omitempty"`
	CreatedAt   time.Time `json:"created_at,omitzero"`
	ExpiresAt   time.Time `json:"expires_at,omitzero"`
	Reason      string    `json:"reason,omitempty"`
	Hint        string    `json:"hint,omitempty"`
	Notes       []string  `json:"notes,omitempty"`
	Cached      bool      `json:"cached,omitempty"`
	// Endpoint is the service that answered; it keys the cache so a fake
	// server's answer is never reused against the real one.
	Endpoint string `json:"-"`
}

// Live is what a live check needs.
type Live struct {
	HTTP  *http.Client
	Retry retry.Policy
	Env   Env
}

// Provider is one credential provider.
type Provider interface {
	// Name is the short name used in requirements: "hf".
	Name() string
	// Title is the name people know: "Hugging Face".
	Title() string
	// Discover returns the credentials a client would find, the one it uses first.
	Discover(env Env) []Credential
	// Levels lists the levels a requirement may ask for (nil: none).
	Levels() []string
	// Format checks the credential offline.
	Format(c Credential) []Problem
	// Validate checks the credential against the live service. It fills
	// Status, Identity, Role, dates, Reason and Hint, and Endpoint.
	Validate(ctx context.Context, c Credential, req Requirement, live Live) Result
	// MissingHint says how to provide a credential.
	MissingHint() string
}
