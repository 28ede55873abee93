package tokenage

import (
	"errors"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential/lite"
	"github.com/tokenguard/tokenguard/internal/ledger"
)

// scope is which credentials a command shows.
type scope int

const (
	inUse   scope = iota // found in this environment
	known                // and the others the ledger knows, retired ones left out
	everyID              // and the retired ones
)

// item is one credential as the commands show it: found now, known to the
// ledger, or both.
type item struct {
	fp    string
	cred  *lite.Credential // nil: not found in this environment
	entry *ledger.Entry
	a     ledger.Assessment
	// ignored by the policy; limits are the ones that apply.
	ignored bool
	limits  ledger.Limits
}

// found returns the credentials of this environment, one per fingerprint
// (the first source wins, as for the clients), their sightings, and the
// credential files that exist but could not be used.
func found(env lite.Env, r lite.Readers) ([]lite.Credential, []ledger.Sighting, []*lite.FileError) {
	var creds []lite.Credential
	var sightings []ledger.Sighting
	var unread []*lite.FileError
	seen := map[string]bool{}
	for _, c := range r.FindAll(env) {
		if c.Err != nil {
			unread = append(unread, c.Err)
			continue
		}
		fp := c.Fingerprint()
		sightings = append(sightings, ledger.Sighting{Provider: c.Provider, Source: c.Source, Fingerprint: fp, FileTime: c.ModTime})
		if !seen[fp] {
			seen[fp] = true
			creds = append(creds, c)
		}
	}
	return creds, sightings, unread
}

// survey records what is found now in the ledger and returns the
// credentials in use, then the others of the scope. extra may
// change the ledger in the same update. Nothing is locked or written when
// nothing changes, which is the common case of a new shell. unread are the
// credential files that could not be used. Errors come with usable items: a
// *ledger.CorruptError (the file was set aside), ledger.ErrBusy or a write
// error (the changes were not saved). errDeclined comes alone, before the
// ledger is read: a small reader declined a credential file.
func (b *Books) survey(s settings, sc scope, extra func(*ledger.Ledger, []item) bool) (items []item, unread []*lite.FileError, err error) {
	store := ledger.Open(b.ledgerPath)
	store.LockWait = b.lockWait
	creds, sightings, unread := found(b.env, b.readers.Credentials)
	if slices.ContainsFunc(unread, func(e *lite.FileError) bool { return e.Unsupported }) {
		return nil, nil, errDeclined
	}
	now := b.now()
	update := func(l *ledger.Ledger) bool {
		changed := l.Observe(sightings, now)
		if extra != nil && extra(l, b.items(s, l, creds, inUse)) {
			changed = true
		}
		l.Prune(now)
		return changed
	}
	l, err := store.Load()
	var corrupt *ledger.CorruptError
	if err != nil && !errors.As(err, &corrupt) {
		return nil, unread, err
	}
	trial := l.Clone()
	if !update(trial) && corrupt == nil {
		return b.items(s, l, creds, sc), unread, nil
	}
	written, err := store.Update(update)
	if written == nil {
		// Not saved (busy or unwritable): show what this run found anyway.
		return b.items(s, trial, creds, sc), unread, err
	}
	return b.items(s, written, creds, sc), unread, err
}

// items pairs the credentials found with their entries and judges them.
func (b *Books) items(s settings, l *ledger.Ledger, creds []lite.Credential, sc scope) []item {
	now := b.now()
	items := []item{} // empty, not nil: nil means the survey failed
	for i := range creds {
		c := &creds[i]
		fp := c.Fingerprint()
		e := l.Entries[fp]
		if e == nil {
			e = &ledger.Entry{Provider: c.Provider, FirstSeen: now, Sources: []string{c.Source}, FileTime: c.ModTime}
		}
		items = append(items, b.judge(s, fp, c, e))
	}
	if sc != inUse {
		for _, fp := range l.Fingerprints() {
			if slices.ContainsFunc(items, func(it item) bool { return it.fp == fp }) ||
				sc == known && l.Entries[fp].Retired() {
				continue
			}
			items = append(items, b.judge(s, fp, nil, l.Entries[fp]))
		}
	}
	return items
}

func (b *Books) judge(s settings, fp string, c *lite.Credential, e *ledger.Entry) item {
	it := item{fp: fp, cred: c, entry: e, limits: s.policy.LimitsFor(e.Provider)}
	names := append([]string{e.Provider, fp}, e.Sources...)
	for _, src := range e.Sources {
		names = append(names, strings.TrimPrefix(src, "env "))
	}
	if c != nil {
		names = append(names, c.Var, c.Source)
	}
	it.ignored = s.policy.Ignored(names...)
	it.a = s.policy.Assess(e, b.now())
	return it
}

// label names a credential in one line: "HF_TOKEN (hf_…wxyz, env)" or
// "Hugging Face token (hf_…wxyz, ~/.cache/huggingface/token)".
func (it item) label() string {
	if it.cred == nil {
		src := "not found here"
		if len(it.entry.Sources) > 0 {
			src = strings.Join(it.entry.Sources, ", ")
		}
		return title(it.entry.Provider) + " " + noun(it.entry.Provider) + " " + it.fp[:min(8, len(it.fp))] + " (" + src + ")"
	}
	c := it.cred
	if c.Source == "env "+c.Var {
		return c.Var + " (" + c.Masked() + ", env)"
	}
	return title(c.Provider) + " " + noun(c.Provider) + " (" + c.Masked() + ", " + strings.TrimPrefix(c.Source, "file ") + ")"
}

func title(provider string) string {
	for _, f := range lite.Small.Finders() {
		if f.Provider == provider {
			return f.Title
		}
	}
	return provider
}

func noun(provider string) string {
	switch provider {
	case "wandb", "openai", "anthropic":
		return "key"
	}
	return "token"
}

// rotateHint says where to get a new credential and what to update.
func (it item) rotateHint() string {
	where := map[string]string{
		"hf":        "https://huggingface.co/settings/tokens",
		"modal":     "run `modal token new`",
		"github":    "https://github.com/settings/tokens",
		"wandb":     "https://wandb.ai/authorize",
		"openai":    "https://platform.openai.com/api-keys",
		"anthropic": "https://console.anthropic.com/settings/keys",
	}[it.entry.Provider]
	if it.cred == nil {
		return where
	}
	switch {
	case it.cred.Source == "env MODAL_TOKEN_ID":
		return where + ", then update MODAL_TOKEN_ID and MODAL_TOKEN_SECRET"
	case strings.HasPrefix(it.cred.Source, "env "):
		return where + ", then update " + strings.Fields(it.cred.Source)[1]
	case it.cred.Provider == "hf":
		return where + ", then hf auth login"
	case it.cred.Provider == "wandb":
		return where + ", then wandb login --relogin"
	case it.cred.Provider == "modal":
		return where // modal token new rewrites ~/.modal.toml itself
	}
	return where + ", then update " + strings.TrimPrefix(it.cred.Source, "file ")
}
