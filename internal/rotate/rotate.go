// Package rotate moves a new credential into every place the old one
// lives: it checks the new value against the provider before anything is
// written (live, same identity, at least the old role), finds the old value
// by fingerprint in the files clients and shells read, rewrites them
// atomically with a backup beside each, updates GitHub Actions secrets, and
// records the rotation in the ledger. A run that fails midway puts the local
// files back and says which remote secrets already hold the new value; a
// journal of fingerprints lets the same command finish the job later.
package rotate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/ledger"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/token"
)

// Refused is a new credential that fails a check: nothing was changed.
// When Kind is set, Hint is empty and the command words the next step.
type Refused struct {
	Why, Hint string
	Kind      Kind
	Identity  string // the old token's owner, for KindOtherIdentity
}

// Kind names a refusal whose next step depends on the command's flags.
type Kind string

// The refusals a command words itself.
const (
	KindNoOld         Kind = "no-old"         // no old credential found to rotate
	KindOldUnusable   Kind = "old-unusable"   // the old token no longer works: whose it was is unknown
	KindOtherIdentity Kind = "other-identity" // the new token belongs to someone else
)

func (e *Refused) Error() string { return e.Why }

// Incomplete is a rotation that could not be judged or finished (a
// service that did not answer, a write that failed).
type Incomplete struct {
	Why, Hint string
}

func (e *Incomplete) Error() string { return e.Why }

// Options are the inputs of one rotation.
type Options struct {
	Provider    string
	New         credential.Credential // Value, and Secret for a pair
	NewIdentity bool                  // accept a credential of another user
	Env         credential.Env
	Cwd         string
	StateDir    string // journal and ledger
	Live        token.Live
	Log         *logrus.Logger
	Now         func() time.Time
	Targets     []Target // GitHub secrets to update
}

// Rotation is a checked plan: what replaces what, and where.
type Rotation struct {
	opts      Options
	provider  token.Provider
	journal   journal
	swap      map[string]string // fingerprint of an old half → new half
	gh        *githubAPI        // nil without targets
	Resumed   bool              // finishing (or checking again) an earlier run of the same rotation
	Done      bool              // that run had finished
	OldMasked string            // "" when resumed: the old value is gone from the places already done
	NewMasked string
	OldFP     string
	NewFP     string
	Identity  string
	Role      string
	Notes     []string
	Places    []*Place
	Helper    *HelperEntry // nil when the git credential helper holds no old value
	Unread    []Unread
	// Elsewhere are places that may hold the old value and that this
	// command cannot change: the ending report lists them.
	Elsewhere []string
}

// Prepare checks the new credential and finds where the old one lives.
// It changes nothing.
func Prepare(ctx context.Context, o Options) (*Rotation, error) {
	p, ok := token.Lookup(o.Provider)
	if !ok {
		return nil, fmt.Errorf("unknown provider %q", o.Provider)
	}
	r := &Rotation{opts: o, provider: p}
	nc := o.New
	nc.Provider, nc.Source, nc.Var = p.Name(), "the new token", "the new token"
	redact.Secret(nc.Value)
	redact.Secret(nc.Secret)
	r.NewMasked, r.NewFP = nc.Masked(), nc.Fingerprint()
	for _, prob := range p.Format(nc) {
		if prob.Fatal {
			return nil, &Refused{Why: prob.Msg, Hint: prob.Hint}
		}
	}

	j, err := loadJournal(o.StateDir, p.Name())
	if err != nil {
		return nil, &Incomplete{Why: err.Error(), Hint: "remove the file if no rotation is in progress"}
	}
	if j != nil && j.NewFP == r.NewFP {
		r.Resumed, r.Done, r.journal = true, j.Done, *j
	} else if err := r.judgeOld(ctx); err != nil {
		return nil, err
	}
	if err := r.judgeNew(ctx, nc); err != nil {
		return nil, err
	}
	r.OldFP, r.Identity, r.Role = r.journal.OldFP, r.journal.Identity, r.journal.Role
	r.swap = map[string]string{r.journal.Halves[0]: nc.Value}
	if len(r.journal.Halves) > 1 {
		r.swap[r.journal.Halves[1]] = nc.Secret
	}
	r.Places, r.Unread = findPlaces(o.Env, o.Cwd, r.swap)
	r.Helper = findHelperEntry(p.Name(), o.Env.Get("HF_ENDPOINT"), o.Cwd, r.swap)
	r.Elsewhere = r.elsewhere()
	if len(o.Targets) > 0 {
		gh, err := r.githubClient(ctx)
		if err != nil {
			return nil, &Refused{Why: err.Error(), Hint: "set GH_TOKEN to a token with the repo scope (admin:org for organisation secrets)"}
		}
		r.gh = gh
	}
	return r, nil
}

// judgeOld finds the credential in use and asks the provider whose it is
// and what it may do.
func (r *Rotation) judgeOld(ctx context.Context) error {
	p, o := r.provider, r.opts
	var old *credential.Credential
	for _, c := range p.Discover(o.Env) {
		if c.Err == nil && c.Fingerprint() != r.NewFP {
			old = &c
			break
		}
	}
	if old == nil {
		return &Refused{Why: "no " + p.Title() + " credential other than the new one is found to rotate", Kind: KindNoOld}
	}
	redact.Secret(old.Value)
	redact.Secret(old.Secret)
	r.OldMasked = old.Masked()
	r.journal = journal{Provider: p.Name(), OldFP: old.Fingerprint(), NewFP: r.NewFP,
		Halves: []string{redact.Fingerprint(old.Value)}}
	if old.Secret != "" {
		r.journal.Halves = append(r.journal.Halves, redact.Fingerprint(old.Secret))
	}
	req := token.Requirement{Provider: p.Name()}
	if p.Name() == "hf" {
		req.Level = "write" // Insufficient then just means "a read token"
	}
	res := p.Validate(ctx, *old, req, r.opts.Live)
	if err := r.identify(ctx, *old, &res, "old"); err != nil {
		return err
	}
	switch {
	case res.Status == token.Valid:
		r.journal.Level = req.Level
	case res.Status == token.Insufficient:
	case res.Status == token.Unknown:
		return &Incomplete{Why: "could not check the old token (" + old.Source + "): " + res.Reason,
			Hint: "check the network (or the endpoint variables) and run the rotation again"}
	default:
		if !o.NewIdentity {
			return &Refused{Why: fmt.Sprintf("the old token (%s, %s) is %s, so whose it was cannot be checked", old.Masked(), old.Source, res.Status),
				Kind: KindOldUnusable}
		}
		r.Notes = append(r.Notes, "the old token is "+string(res.Status)+": identity and role not compared")
		return nil
	}
	r.journal.Identity, r.journal.Role = res.Identity, res.Role
	return nil
}

// judgeNew checks the new credential: live, the same identity, at least
// the old role.
func (r *Rotation) judgeNew(ctx context.Context, nc credential.Credential) error {
	p := r.provider
	req := token.Requirement{Provider: p.Name(), Level: r.journal.Level}
	res := p.Validate(ctx, nc, req, r.opts.Live)
	if err := r.identify(ctx, nc, &res, "new"); err != nil {
		return err
	}
	switch res.Status {
	case token.Valid:
	case token.Unknown:
		return &Incomplete{Why: "could not check the new token: " + res.Reason,
			Hint: "check the network (or the endpoint variables) and run the rotation again"}
	case token.Insufficient:
		return &Refused{Why: fmt.Sprintf("the new token (%s) cannot do what the old one could: %s", r.NewMasked, res.Reason),
			Hint: "create a token with at least the old one's role: " + RevokePage(p.Name())}
	default:
		return &Refused{Why: fmt.Sprintf("the new token (%s) is %s: %s", r.NewMasked, res.Status, res.Reason), Hint: res.Hint}
	}
	old := r.journal
	switch {
	case old.Identity == "" || res.Identity == "":
		if !r.opts.NewIdentity && old.Identity != res.Identity && p.Name() != "github" {
			r.Notes = append(r.Notes, p.Title()+" does not say whose a token is: identity not compared")
		}
	case old.Identity != res.Identity && !r.opts.NewIdentity:
		return &Refused{Why: fmt.Sprintf("the new token belongs to %s, the old one to %s", res.Identity, old.Identity),
			Kind: KindOtherIdentity, Identity: old.Identity}
	}
	if p.Name() == "github" && (strings.HasPrefix(nc.Value, "github_pat_") || strings.HasPrefix(nc.Value, "ghs_")) && old.Role != "" {
		r.Notes = append(r.Notes, "GitHub does not report the permissions of fine-grained and app tokens: the old token's scopes ("+old.Role+") not compared")
	} else if p.Name() == "github" {
		have := strings.Split(res.Role, ",")
		for _, s := range strings.Split(old.Role, ",") {
			if s != "" && !slices.Contains(have, s) {
				return &Refused{Why: fmt.Sprintf("the new token lacks the %s scope the old one has (it has: %s)", s, res.Role),
					Hint: "edit the token at https://github.com/settings/tokens and add the " + s + " scope"}
			}
		}
	}
	if r.journal.Identity == "" {
		r.journal.Identity = res.Identity
	}
	return nil
}

// identify adds what the validator cannot tell: a GitHub token's login,
// from GET /user (GET /rate_limit, the validator's check, says nothing
// of whose a token is). An app installation token has no user: its
// identity is unknown, which the plan says, and is no failure.
func (r *Rotation) identify(ctx context.Context, c credential.Credential, res *token.Result, which string) error {
	if r.provider.Name() != "github" || res.Status != token.Valid && res.Status != token.Insufficient {
		return nil
	}
	login, ok, err := githubLogin(ctx, r.opts.Env, c.Value, r.opts.Live)
	switch {
	case err != nil:
		return &Incomplete{Why: "could not ask GitHub whose the " + which + " token is: " + err.Error(),
			Hint: "check the network (or GITHUB_API_URL) and run the rotation again"}
	case !ok:
		r.Notes = append(r.Notes, "the "+which+" token is a GitHub App installation token: GitHub does not say whose it is (GET /user answers 403), identity not compared")
	}
	res.Identity = login
	return nil
}

// elsewhere lists what may still hold the old value and is not a file this
// command rewrites.
func (r *Rotation) elsewhere() []string {
	var out []string
	for _, c := range r.provider.Discover(r.opts.Env) {
		if strings.HasPrefix(c.Source, "env ") && c.Err == nil && slices.Contains(r.journal.Halves, redact.Fingerprint(c.Value)) {
			out = append(out, "the environment variable "+c.Var+" of this shell: open a new shell once the files are updated")
		}
	}
	return append(out, "any CI system or secret store other than the GitHub secrets named on the command line")
}

// Outcome is what Apply did.
type Outcome struct {
	Written  []*Place
	Helper   bool // the git credential helper's entry was updated
	Restored bool
	Remote   []RemoteDone
	// LedgerErr is a ledger that could not be updated: the rotation stands.
	LedgerErr error
}

// Apply writes the new value everywhere. On a failure it puts the local
// files back and returns an *Incomplete; Outcome.Remote then lists the
// secrets that already hold the new value.
func (r *Rotation) Apply(ctx context.Context) (Outcome, error) {
	var out Outcome
	o := r.opts
	r.journal.Done = false
	if err := saveJournal(o.StateDir, r.journal); err != nil {
		return out, &Incomplete{Why: err.Error(), Hint: "check the permissions of " + o.StateDir}
	}
	fail := func(why error, hint string) (Outcome, error) {
		for _, p := range out.Written {
			if err := p.restore(); err != nil {
				hint += "; restore " + p.Shown + " from " + p.Backup() + " by hand"
			}
		}
		if out.Helper {
			if err := r.Helper.store(o.Cwd, r.Helper.old); err != nil {
				hint += "; the git credential helper keeps the new token"
			}
		}
		out.Restored = len(out.Written) > 0 || out.Helper
		return out, &Incomplete{Why: why.Error(), Hint: hint}
	}
	for _, p := range r.Places {
		if err := p.write(); err != nil {
			return fail(err, "fix the file's permissions and run the same rotation again")
		}
		out.Written = append(out.Written, p)
		r.audit("rotate-file", p.Shown)
		crashPoint()
	}
	if r.Helper != nil {
		if err := r.Helper.write(o.Cwd); err != nil {
			return fail(fmt.Errorf("the git credential helper's entry for %s: %w", r.Helper.URL, err), "update the entry by hand (git credential approve), or remove it with git credential reject")
		}
		out.Helper = true
		r.audit("rotate-git-credential", r.Helper.URL)
	}
	if r.gh != nil {
		for _, t := range o.Targets {
			done, err := r.gh.put(ctx, t, r.secretValues(t))
			out.Remote = append(out.Remote, done...)
			for _, d := range done {
				r.audit("rotate-secret", d.Target.String()+" "+d.Name)
			}
			if err != nil {
				return fail(err, "run the same rotation again: what is done is done again harmlessly")
			}
		}
	}
	for _, p := range out.Written {
		if p.InRepo {
			os.Remove(p.Path + backupSuffix)
		}
	}
	out.LedgerErr = r.record()
	r.journal.Done = true
	if err := saveJournal(o.StateDir, r.journal); err != nil {
		r.opts.Log.Warnf("the rotation journal was not updated: %v", err)
	}
	return out, nil
}

// audit logs one place written: fingerprints, never values.
func (r *Rotation) audit(event, place string) {
	r.opts.Log.WithFields(logrus.Fields{"event": event, "provider": r.provider.Name(), "place": place,
		"old_fingerprint": r.OldFP, "new_fingerprint": r.NewFP}).Infof("%s: new token written to %s", r.provider.Name(), place)
}

// record tells the ledger: the new value's age starts now, the old one is retired.
func (r *Rotation) record() error {
	now := r.opts.Now().UTC()
	var sources []string
	for _, p := range r.Places {
		sources = append(sources, "file "+p.Shown)
	}
	_, err := ledger.Open(filepath.Join(r.opts.StateDir, ledger.FileName)).Update(func(l *ledger.Ledger) bool {
		e, ok := l.Entries[r.NewFP]
		if !ok {
			e = &ledger.Entry{Provider: r.provider.Name(), FirstSeen: now}
			l.Entries[r.NewFP] = e
		}
		e.RotatedAt, e.Replaces = now, r.OldFP
		for _, s := range sources {
			if !slices.Contains(e.Sources, s) {
				e.Sources = append(e.Sources, s)
			}
		}
		old, ok := l.Entries[r.OldFP]
		if !ok {
			old = &ledger.Entry{Provider: r.provider.Name(), FirstSeen: now}
			l.Entries[r.OldFP] = old
		}
		old.Sources, old.RetiredAt, old.ReplacedBy = nil, now, r.NewFP
		return true
	})
	return err
}

// RevokePage is where the provider's tokens are revoked.
func RevokePage(provider string) string {
	return map[string]string{
		"hf":        "https://huggingface.co/settings/tokens",
		"github":    "https://github.com/settings/tokens",
		"wandb":     "https://wandb.ai/authorize",
		"openai":    "https://platform.openai.com/api-keys",
		"anthropic": "https://console.anthropic.com/settings/keys",
		"modal":     "https://modal.com/settings/tokens",
	}[provider]
}

func atomicWrite(path string, data []byte, perm fs.FileMode) error {
	return atomicfile.Write(path, data, perm)
}

// crashAfter, when positive, ends the process after that many file writes:
// the test binary sets it to prove an interrupted run can be finished.
var crashAfter, writes int

// SetCrashForTest makes the process exit after n file writes (0: never).
// Only the testscript binary calls it.
func SetCrashForTest(n int) { crashAfter = n }

func crashPoint() {
	writes++
	if crashAfter > 0 && writes >= crashAfter {
		os.Exit(9)
	}
}

var errHelperKept = errors.New("the helper still answers another value after git credential approve")

var errNoGitHub = errors.New("no GitHub credential (GH_TOKEN, GITHUB_TOKEN or gh's hosts.yml) to update the secrets with")

// Provider is the short name of the provider rotated.
func (r *Rotation) Provider() string { return r.provider.Name() }
