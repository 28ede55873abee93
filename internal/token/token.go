// Package token judges the credentials package credential finds: their
// format offline, and live against each provider (does it work, whose is it,
// what may it do, when does it expire), one file per provider, with a cache
// of recent answers. No function here prints or logs a credential value.
package token

import (
	"context"
	"net/http"
	"time"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// Status is the verdict on one credential.
type Status string

// The statuses, from best to worst for a job.
const (
	Valid Status = "valid" // a live check accepted it
	// WellFormed passed the format checks of an offline run
	// (Checker.Offline): no service was asked, so it may still be revoked
	// or expired. The command says so in its own words.
	WellFormed   Status = "well-formed"
	Invalid      Status = "invalid"
	Expired      Status = "expired"
	Missing      Status = "missing"
	Insufficient Status = "insufficient" // valid, but lacks a role or scope the job needs
	Unknown      Status = "unknown"      // could not reach the service after retries
	// Unreadable: the file the credential would come from exists but cannot
	// be used (not a regular file, unreadable, too large, malformed).
	Unreadable Status = "unreadable"
)

// Good reports whether the status lets a job go ahead: a live check's
// valid, or well-formed when only the format was asked for.
func (s Status) Good() bool { return s == Valid || s == WellFormed }

// Incomplete reports whether the status means the check could not be made.
func (s Status) Incomplete() bool { return s == Unknown || s == Unreadable }

// Credential is one credential as a client would find it. Discovery lives in
// internal/credential so that the shell fast path (tokenage) can find
// credentials without linking the live checks (gRPC, HTTP).
type Credential = credential.Credential

// Env is where discovery looks: environment variables and the home directory.
type Env = credential.Env

// OSEnv is the process environment.
func OSEnv() Env { return credential.OSEnv() }

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

// Kind names a verdict whose next step depends on the command showing it:
// the engine states the facts (Reason, the fields below) and leaves Hint
// empty; each command words the hint in its own voice, with its own flags.
type Kind string

// The kinds a command must word.
const (
	// KindUnreachable: the service did not answer after the retries
	// (Status Unknown). Reason names the service and the error.
	KindUnreachable Kind = "unreachable"
	// KindExpiresInWindow: the token expires before the job's validity
	// window (Result.ValidFor) ends (Status Expired). Reason says when.
	KindExpiresInWindow Kind = "expires-in-window"
	// KindRepoNotFound: the repository of the requirement does not exist or
	// is not visible to the token (Status Insufficient).
	KindRepoNotFound Kind = "repo-not-found"
)

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
	// Kind, when set, leaves the hint to the command (see Kind).
	Kind Kind `json:"-"`
	// ValidFor is the window the token had to outlive (KindExpiresInWindow).
	ValidFor time.Duration `json:"-"`
	// Endpoint is the service that answered; it keys the cache so a fake
	// server's answer is never reused against the real one.
	Endpoint string `json:"-"`
	// ModTime is the modification time of the file the credential came
	// from, if any: evidence of its age for the ledger (tokenage).
	ModTime time.Time `json:"-"`
}

// Live is what a live check needs.
type Live struct {
	// HTTP serves every provider but the Hub, whose checks go through the
	// hub package's client and its one HTTP setup.
	HTTP  *http.Client
	Retry retry.Policy
	Env   Env
	// UserAgent names the binary to the services: tokenguard-<tool>/<version>.
	UserAgent string
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
	// Status, Identity, Role, dates, Reason and Hint (or Kind), and Endpoint.
	Validate(ctx context.Context, c Credential, req Requirement, live Live) Result
	// MissingHint says how to provide a credential.
	MissingHint() string
}
