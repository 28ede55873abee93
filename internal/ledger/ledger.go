// Package ledger keeps the token-age state of tokenguard: for each
// credential, keyed by its fingerprint (never its value), when it was first
// seen, the earliest modification time of a file holding it, the creation and
// expiry dates its provider reported, and when it was rotated. tokenage reads
// it on every new shell; tokencheck adds what the providers report.
package ledger

import (
	"slices"
	"sort"
	"time"
)

// Version is the format version written into the file.
const Version = 1

// retiredKeep is how long a replaced credential stays listed before it is
// dropped from the file.
const retiredKeep = 400 * 24 * time.Hour

// Ledger is the whole state file.
type Ledger struct {
	Version int `json:"version"`
	// Entries are keyed by fingerprint.
	Entries map[string]*Entry `json:"credentials"`
}

// Entry is what is known about one credential. Dates the ledger does not
// know are zero and left out of the file.
type Entry struct {
	Provider string `json:"provider"`
	// Sources are where the credential is currently found ("env HF_TOKEN",
	// "file ~/.cache/huggingface/token"); empty once it is retired.
	Sources   []string  `json:"sources,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	// FileTime is the earliest modification time seen of a file holding the
	// credential: it was stored there no later than that.
	FileTime  time.Time `json:"file_time,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"` // reported by the provider
	ExpiresAt time.Time `json:"expires_at,omitzero"` // reported by the provider
	// CheckedAt is the last live check that reported dates (tokencheck).
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// RotatedAt is a rotation recorded by hand (tokenage rotated).
	RotatedAt time.Time `json:"rotated_at,omitzero"`
	// Replaces is the credential this one replaced under the same source.
	Replaces string `json:"replaces,omitempty"`
	// RetiredAt is when another value took this one's place; ReplacedBy names it.
	RetiredAt  time.Time `json:"retired_at,omitzero"`
	ReplacedBy string    `json:"replaced_by,omitempty"`
	// WarnedAt is the last time tokenage warn printed a warning about it.
	WarnedAt time.Time `json:"warned_at,omitzero"`
}

// Provenance says where an age comes from.
type Provenance string

// The provenances, from the most to the least trustworthy.
const (
	FromProvider  Provenance = "provider"   // the provider reported the creation date
	FromRotation  Provenance = "rotated"    // recorded by hand with tokenage rotated
	FromFile      Provenance = "file"       // the modification time of the file holding it
	FromFirstSeen Provenance = "first-seen" // when tokenguard first saw it
)

// Since is the moment the credential's age counts from, and why. An explicit
// date (the provider's creation date, or a rotation recorded by hand) wins
// over evidence, the later of the two when both exist; otherwise the earliest
// evidence counts, so an age is never underestimated.
func (e *Entry) Since() (time.Time, Provenance) {
	switch {
	case !e.CreatedAt.IsZero() && !e.CreatedAt.Before(e.RotatedAt):
		return e.CreatedAt, FromProvider
	case !e.RotatedAt.IsZero():
		return e.RotatedAt, FromRotation
	case !e.FileTime.IsZero() && e.FileTime.Before(e.FirstSeen):
		return e.FileTime, FromFile
	}
	return e.FirstSeen, FromFirstSeen
}

// Retired reports whether another value replaced this one.
func (e *Entry) Retired() bool { return !e.RetiredAt.IsZero() }

// Sighting is one credential found now.
type Sighting struct {
	Provider    string
	Source      string
	Fingerprint string
	FileTime    time.Time // modification time of the file it came from, if any
}

// New returns an empty ledger.
func New() *Ledger { return &Ledger{Version: Version, Entries: map[string]*Entry{}} }

// Observe records credentials found now and reports whether anything
// changed. A fingerprint not seen before starts its age now (or at its file's
// modification time). A new value under a source that held another value of
// the same provider is a rotation: the old entry loses that source and, when
// it is found nowhere else, is retired. A retired value seen again is
// reinstated with its old dates.
func (l *Ledger) Observe(sightings []Sighting, now time.Time) bool {
	changed := false
	for _, s := range sightings {
		if s.Fingerprint == "" {
			continue
		}
		e, ok := l.Entries[s.Fingerprint]
		if !ok {
			e = &Entry{Provider: s.Provider, FirstSeen: now.UTC()}
			l.Entries[s.Fingerprint] = e
			changed = true
		}
		if e.Retired() {
			e.RetiredAt, e.ReplacedBy = time.Time{}, ""
			changed = true
		}
		if !s.FileTime.IsZero() && (e.FileTime.IsZero() || s.FileTime.Before(e.FileTime)) {
			e.FileTime = s.FileTime.UTC()
			changed = true
		}
		if s.Source == "" || slices.Contains(e.Sources, s.Source) {
			continue
		}
		e.Sources = append(e.Sources, s.Source)
		changed = true
		for _, fp := range l.Fingerprints() {
			old := l.Entries[fp]
			if fp == s.Fingerprint || old.Provider != s.Provider || !slices.Contains(old.Sources, s.Source) {
				continue
			}
			old.Sources = slices.DeleteFunc(old.Sources, func(src string) bool { return src == s.Source })
			if len(old.Sources) == 0 {
				old.RetiredAt, old.ReplacedBy = now.UTC(), s.Fingerprint
				if e.Replaces == "" {
					e.Replaces = fp
				}
			}
		}
	}
	return changed
}

// Report is what a live check learnt about one credential.
type Report struct {
	Sighting
	CreatedAt, ExpiresAt time.Time
}

// Record stores what a live check reported, after observing the credential.
func (l *Ledger) Record(reports []Report, now time.Time) bool {
	changed := false
	for _, r := range reports {
		if r.Fingerprint == "" {
			continue
		}
		if l.Observe([]Sighting{r.Sighting}, now) {
			changed = true
		}
		e := l.Entries[r.Fingerprint]
		if !r.CreatedAt.IsZero() && !r.CreatedAt.Equal(e.CreatedAt) {
			e.CreatedAt = r.CreatedAt.UTC()
			changed = true
		}
		if !r.ExpiresAt.IsZero() && !r.ExpiresAt.Equal(e.ExpiresAt) {
			e.ExpiresAt = r.ExpiresAt.UTC()
			changed = true
		}
		if !r.CreatedAt.IsZero() || !r.ExpiresAt.IsZero() {
			e.CheckedAt = now.UTC()
			changed = true
		}
	}
	return changed
}

// Prune drops credentials retired for longer than a year and a bit.
func (l *Ledger) Prune(now time.Time) {
	for fp, e := range l.Entries {
		if e.Retired() && now.Sub(e.RetiredAt) > retiredKeep {
			delete(l.Entries, fp)
		}
	}
}

// Fingerprints are the keys in a stable order.
func (l *Ledger) Fingerprints() []string {
	fps := make([]string, 0, len(l.Entries))
	for fp := range l.Entries {
		fps = append(fps, fp)
	}
	sort.Strings(fps)
	return fps
}

// Clone returns a deep copy, so a caller can try a change before committing to it.
func (l *Ledger) Clone() *Ledger {
	c := &Ledger{Version: l.Version, Entries: make(map[string]*Entry, len(l.Entries))}
	for fp, e := range l.Entries {
		cp := *e
		cp.Sources = slices.Clone(e.Sources)
		c.Entries[fp] = &cp
	}
	return c
}
