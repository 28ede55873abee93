// Package verify checks secretscan's findings live (--verify): values are
// de-duplicated, checked four at a time through tokencheck's validators,
// and Modal's id and secret halves are paired within a file.
package verify

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sync/errgroup"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/token"
)

// verifiable maps the providers of scan rules to the tokencheck provider that
// can check their findings live. Modal needs both halves of a pair.
var verifiable = map[string]string{
	"huggingface": "hf",
	"github":      "github",
	"wandb":       "wandb",
	"openai":      "openai",
	"anthropic":   "anthropic",
	"modal":       "modal",
}

// Verification results shown per finding.
const (
	Valid   = "valid"
	Invalid = "invalid"
	Unknown = "unknown"
)

// Verifier checks findings live through the validators of tokencheck. Each
// value goes only to its own provider's endpoint (the one tokencheck would
// use, overridable by HF_ENDPOINT and the like), once per run.
type Verifier struct {
	live      token.Live
	timeout   time.Duration
	log       *logrus.Logger
	providers func(name string) (token.Provider, bool)
}

// New is a Verifier that gives each check timeout, logs to log and names
// the binary to the services as userAgent.
func New(log *logrus.Logger, timeout time.Duration, userAgent string) *Verifier {
	return &Verifier{
		live:      token.Live{HTTP: &http.Client{}, Retry: retry.Default(), Env: token.OSEnv(), UserAgent: userAgent},
		timeout:   timeout,
		log:       log,
		providers: token.Lookup,
	}
}

// candidate is one credential to check and the findings it stands for.
type candidate struct {
	provider token.Provider
	cred     token.Credential
	findings []int
}

// verify sets Verification on every finding it can check. Findings of other
// providers, and Modal halves without their other half in the same file, are
// left unchecked (empty).
func (v *Verifier) Verify(ctx context.Context, fs []scan.Finding) {
	byKey := map[string]*candidate{}
	var order []string
	add := func(p token.Provider, c token.Credential, idx ...int) {
		key := p.Name() + "\x00" + c.Value + "\x00" + c.Secret
		cd, ok := byKey[key]
		if !ok {
			cd = &candidate{provider: p, cred: c}
			byKey[key] = cd
			order = append(order, key)
		}
		cd.findings = append(cd.findings, idx...)
	}
	for i, f := range fs {
		name, ok := verifiable[f.Provider]
		if !ok || name == "modal" {
			continue
		}
		p, ok := v.providers(name)
		if !ok {
			continue
		}
		add(p, v.credential(name, f, f.Secret, ""), i)
	}
	if p, ok := v.providers("modal"); ok {
		for _, pair := range modalPairs(fs) {
			id, secret := fs[pair[0]], fs[pair[1]]
			add(p, v.credential("modal", id, id.Secret, secret.Secret), pair[0], pair[1])
		}
	}

	// Four at a time: enough to hide the latency, few enough not to
	// trip the services' rate limits.
	var g errgroup.Group
	g.SetLimit(4)
	results := make([]string, len(order))
	for i, key := range order {
		cd := byKey[key]
		redact.Secret(cd.cred.Value)
		redact.Secret(cd.cred.Secret)
		g.Go(func() error {
			results[i] = v.check(ctx, cd)
			return nil
		})
	}
	_ = g.Wait() // checks report through results, never an error
	for i, key := range order {
		for _, fi := range byKey[key].findings {
			fs[fi].Verification = results[i]
		}
	}
}

func (v *Verifier) credential(provider string, f scan.Finding, value, secret string) token.Credential {
	return token.Credential{
		Provider: provider,
		Source:   fmt.Sprintf("%s:%d", f.File, f.Line),
		Var:      f.RuleID,
		Value:    value,
		Secret:   secret,
	}
}

// check runs the offline format check, then the live one.
func (v *Verifier) check(ctx context.Context, cd *candidate) string {
	status := Unknown
	reason := ""
	fatal := false
	for _, p := range cd.provider.Format(cd.cred) {
		if p.Fatal {
			status, reason, fatal = Invalid, p.Msg, true
			break
		}
	}
	if !fatal {
		if v.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, v.timeout)
			defer cancel()
		}
		r := cd.provider.Validate(ctx, cd.cred, token.Requirement{Provider: cd.provider.Name()}, v.live)
		reason = r.Reason
		switch r.Status {
		case token.Valid, token.Insufficient:
			status = Valid // it authenticates: a live credential
		case token.Invalid, token.Expired:
			status = Invalid
		default:
			status = Unknown
		}
	}
	v.log.WithFields(logrus.Fields{
		authlog.FieldEvent:       "verify",
		authlog.FieldProvider:    cd.provider.Name(),
		authlog.FieldSource:      cd.cred.Source,
		authlog.FieldStatus:      status,
		authlog.FieldFingerprint: cd.cred.Fingerprint(),
		authlog.FieldMasked:      cd.cred.Masked(),
	}).Infof("%s: %s %s", cd.cred.Source, cd.cred.Masked(), status)
	if status == Unknown && reason != "" {
		v.log.WithFields(logrus.Fields{authlog.FieldEvent: "verify", authlog.FieldProvider: cd.provider.Name()}).
			Warnf("%s: could not verify %s: %s", cd.cred.Source, cd.cred.Masked(), reason)
	}
	return status
}

// modalPairs pairs each Modal token id with a token secret of the same file
// (and commit): the nearest one by line that is not paired yet. It returns
// index pairs {id, secret}.
func modalPairs(fs []scan.Finding) [][2]int {
	type fileKey struct{ file, commit string }
	ids, secrets := map[fileKey][]int{}, map[fileKey][]int{}
	var keys []fileKey
	for i, f := range fs {
		k := fileKey{f.File, f.Commit}
		switch f.RuleID {
		case "modal-token-id":
			if ids[k] == nil && secrets[k] == nil {
				keys = append(keys, k)
			}
			ids[k] = append(ids[k], i)
		case "modal-token-secret":
			if ids[k] == nil && secrets[k] == nil {
				keys = append(keys, k)
			}
			secrets[k] = append(secrets[k], i)
		}
	}
	var pairs [][2]int
	for _, k := range keys {
		used := map[int]bool{}
		for _, id := range ids[k] {
			best, dist := -1, 0
			for _, s := range secrets[k] {
				if used[s] {
					continue
				}
				d := fs[s].Line - fs[id].Line
				if d < 0 {
					d = -d
				}
				if best < 0 || d < dist {
					best, dist = s, d
				}
			}
			if best >= 0 {
				used[best] = true
				pairs = append(pairs, [2]int{id, best})
			}
		}
	}
	return pairs
}
