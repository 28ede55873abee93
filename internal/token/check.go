package token

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// Checker runs the checks of one invocation (tokencheck, the hubupload
// pre-flight): its fields are the options of that run.
type Checker struct {
	Env      Env
	HTTP     *http.Client
	Retry    retry.Policy
	Log      *logrus.Logger
	Offline  bool          // stop after the format checks
	Timeout  time.Duration // per provider, retries included; 0 means no limit
	ValidFor time.Duration // a known expiry within this window counts as expired
	Cache    *Cache        // nil: no cache
	Now      func() time.Time
	// UserAgent names the binary to the services: tokenguard-<tool>/<version>.
	UserAgent string
}

// Check checks every requirement, all providers in parallel. With no
// requirements it checks every provider, and a missing credential is only
// informational.
func (k *Checker) Check(ctx context.Context, reqs []Requirement) []Result {
	required := len(reqs) > 0
	if !required {
		for _, p := range Providers() {
			reqs = append(reqs, Requirement{Provider: p.Name()})
		}
	}
	results := make([]Result, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			p, _ := Lookup(req.Provider)
			results[i] = k.checkOne(ctx, p, req)
			results[i].Required = required || results[i].Status != Missing
		})
	}
	wg.Wait()
	if k.Cache != nil {
		if err := k.Cache.Save(k.Now()); err != nil {
			k.Log.Warnf("validation cache not saved: %v", err)
		}
	}
	return results
}

func (k *Checker) checkOne(ctx context.Context, p Provider, req Requirement) Result {
	creds := p.Discover(k.Env)
	for _, c := range creds {
		redact.Secret(c.Value)
		redact.Secret(c.Secret)
	}
	if len(creds) == 0 {
		r := Result{Provider: p.Name(), Requirement: req.String(), Status: Missing,
			Reason: "no " + p.Title() + " credential found", Hint: p.MissingHint()}
		k.audit(r, "check")
		return r
	}
	c := creds[0]
	if c.Err != nil {
		r := Result{Provider: p.Name(), Requirement: req.String(), Status: Unreadable, Source: c.Source,
			Reason: c.Err.Error(), Hint: c.Err.Hint}
		k.audit(r, "check")
		return r
	}
	r := k.verdict(ctx, p, c, req)
	r.Provider, r.Requirement = p.Name(), req.String()
	r.Source, r.Masked, r.Fingerprint = c.Source, c.Masked(), c.Fingerprint()
	r.ModTime = c.ModTime
	for _, other := range creds[1:] {
		if other.Err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("%s is used; %s (%s)", c.Source, other.Err, other.Err.Hint))
			continue
		}
		if other.Fingerprint() != c.Fingerprint() {
			r.Notes = append(r.Notes, fmt.Sprintf("%s is used; %s holds a different credential (%s) that is ignored",
				c.Source, other.Source, other.Masked()))
		}
	}
	k.judgeExpiry(&r)
	k.audit(r, "check")
	return r
}

// verdict runs the format check, then the cache, then the live check.
func (k *Checker) verdict(ctx context.Context, p Provider, c Credential, req Requirement) Result {
	var notes []string
	for _, prob := range p.Format(c) {
		if prob.Fatal {
			return Result{Status: Invalid, Reason: prob.Msg, Hint: prob.Hint}
		}
		notes = append(notes, prob.Msg+" ("+prob.Hint+")")
	}
	if k.Offline {
		return Result{Status: WellFormed, Notes: notes}
	}
	// The endpoint is part of the key; discover it the way Validate will.
	key := cacheKey(c, req, endpointOf(p, k.Env))
	if k.Cache != nil {
		if r, ok := k.Cache.Get(key, k.Now()); ok {
			r.Cached = true
			return r
		}
	}
	if k.Timeout > 0 {
		// Without the guard a zero Timeout would be an already-expired deadline.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, k.Timeout)
		defer cancel()
	}
	live := Live{HTTP: k.HTTP, Retry: k.Retry, Env: k.Env, UserAgent: k.UserAgent}
	live.Retry.OnRetry = func(a retry.Attempt) {
		k.Log.WithFields(logrus.Fields{"event": "retry", "provider": p.Name(), "attempt": a.Number, "http_status": a.StatusCode}).
			Infof("%s: attempt %d failed (%v); retrying in %s", p.Name(), a.Number, a.Err, a.Delay.Round(time.Millisecond))
	}
	r := p.Validate(ctx, c, req, live)
	r.Notes = append(notes, r.Notes...)
	if r.Status == Valid && k.Cache != nil {
		k.Cache.Put(key, r, k.Now())
	}
	return r
}

// endpointOf is the service a provider would call, for cache keys.
func endpointOf(p Provider, env Env) string {
	vars := map[string]string{"hf": "HF_ENDPOINT", "modal": "MODAL_SERVER_URL", "github": "GITHUB_API_URL",
		"wandb": "WANDB_BASE_URL", "openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
	return strings.TrimRight(env.Get(vars[p.Name()]), "/")
}

// judgeExpiry turns a known expiry into a verdict for this job.
func (k *Checker) judgeExpiry(r *Result) {
	if r.ExpiresAt.IsZero() || r.Status != Valid {
		return
	}
	now := k.Now()
	left := r.ExpiresAt.Sub(now)
	switch {
	case left <= 0:
		r.Status = Expired
		r.Reason = "the token expired on " + r.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
		r.Hint = "create a new token and update " + r.Source
	case left < k.ValidFor:
		r.Status = Expired
		r.Kind, r.ValidFor = KindExpiresInWindow, k.ValidFor
		r.Reason = fmt.Sprintf("the token expires in %s (%s)", Human(left), r.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	case left < 7*24*time.Hour:
		r.Notes = append(r.Notes, "expires in "+Human(left))
	}
}

// Human writes a duration the way people say it: "3h", "5 days".
func Human(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= time.Hour:
		// Truncated, so a deadline is never reported later than it is.
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
}

// audit writes one audit-log entry; the fields never carry a value.
func (k *Checker) audit(r Result, event string) {
	k.Log.WithFields(logrus.Fields{
		"event":       event,
		"provider":    r.Provider,
		"source":      r.Source,
		"status":      string(r.Status),
		"fingerprint": r.Fingerprint,
		"masked":      r.Masked,
		"cached":      r.Cached,
	}).Infof("%s %s", r.Provider, r.Status)
}
