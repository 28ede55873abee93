package ledger

import (
	"slices"
	"time"
)

// Limits are the age rules for one provider.
type Limits struct {
	MaxAge time.Duration // rotate tokens older than this
	// WarnBefore is how early to warn before MaxAge or a known expiry.
	WarnBefore time.Duration
}

// DefaultLimits is the 90-day rotation rule with two weeks' notice.
var DefaultLimits = Limits{MaxAge: 90 * 24 * time.Hour, WarnBefore: 14 * 24 * time.Hour}

// Policy is the whole rule set.
type Policy struct {
	Default   Limits
	Providers map[string]Limits // per provider name, replacing Default
	// Ignore lists credentials never to judge, by provider name, variable
	// (HF_TOKEN), source ("file ~/.netrc machine api.wandb.ai") or fingerprint.
	Ignore []string
}

// LimitsFor returns the limits that apply to a provider.
func (p Policy) LimitsFor(provider string) Limits {
	if l, ok := p.Providers[provider]; ok {
		return l
	}
	return p.Default
}

// Ignored reports whether any of the names identifies an ignored credential.
func (p Policy) Ignored(names ...string) bool {
	for _, n := range names {
		if n != "" && slices.Contains(p.Ignore, n) {
			return true
		}
	}
	return false
}

// State is a verdict on one credential's age.
type State string

// The states, from best to worst.
const (
	OK       State = "ok"
	DueSoon  State = "due"      // within WarnBefore of MaxAge
	Expiring State = "expiring" // a known expiry within WarnBefore
	TooOld   State = "too-old"  // past MaxAge
	Expired  State = "expired"  // past its known expiry
)

// Assessment is the verdict on one entry.
type Assessment struct {
	State      State
	Age        time.Duration
	Since      time.Time
	Provenance Provenance
	// Left is the time until MaxAge (DueSoon) or the expiry (Expiring), or
	// since the expiry (Expired, negative).
	Left time.Duration
}

// Warn reports whether the state needs the user's attention.
func (a Assessment) Warn() bool { return a.State != OK }

// Failing reports whether the state breaks the policy (tokenage check).
func (a Assessment) Failing() bool { return a.State == TooOld || a.State == Expired }

// Assess judges one entry at now. An expiry outranks age: an expired token
// must be replaced whatever its age.
func (p Policy) Assess(e *Entry, now time.Time) Assessment {
	lim := p.LimitsFor(e.Provider)
	since, prov := e.Since()
	a := Assessment{State: OK, Age: max(now.Sub(since), 0), Since: since, Provenance: prov}
	if !e.ExpiresAt.IsZero() {
		left := e.ExpiresAt.Sub(now)
		switch {
		case left <= 0:
			a.State, a.Left = Expired, left
			return a
		case left <= lim.WarnBefore:
			a.State, a.Left = Expiring, left
		}
	}
	switch {
	case lim.MaxAge <= 0:
	case a.Age >= lim.MaxAge:
		a.State, a.Left = TooOld, lim.MaxAge-a.Age
	case a.State == OK && a.Age >= lim.MaxAge-lim.WarnBefore:
		a.State, a.Left = DueSoon, lim.MaxAge-a.Age
	}
	return a
}
