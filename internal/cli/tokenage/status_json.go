package tokenage

import (
	"encoding/json"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/ledger"
)

// jsonReport is the -f json document of status and check.
type jsonReport struct {
	Now         time.Time        `json:"now"`
	OK          bool             `json:"ok"`
	Credentials []jsonCredential `json:"credentials"`
}

type jsonCredential struct {
	Provider    string            `json:"provider"`
	Fingerprint string            `json:"fingerprint"`
	Masked      string            `json:"masked,omitempty"`
	Source      string            `json:"source,omitempty"` // where it is found now
	Sources     []string          `json:"sources,omitempty"`
	InUse       bool              `json:"in_use"`
	State       ledger.State      `json:"state"`
	Ignored     bool              `json:"ignored,omitempty"`
	AgeDays     int               `json:"age_days"`
	MaxAgeDays  int               `json:"max_age_days"`
	Since       time.Time         `json:"since"`
	From        ledger.Provenance `json:"from"`
	FirstSeen   time.Time         `json:"first_seen"`
	FileTime    time.Time         `json:"file_time,omitzero"`
	CreatedAt   time.Time         `json:"created_at,omitzero"`
	ExpiresAt   time.Time         `json:"expires_at,omitzero"`
	RotatedAt   time.Time         `json:"rotated_at,omitzero"`
	RetiredAt   time.Time         `json:"retired_at,omitzero"`
	ReplacedBy  string            `json:"replaced_by,omitempty"`
	Replaces    string            `json:"replaces,omitempty"`
}

func writeJSON(w io.Writer, items []item, now time.Time) error {
	r := jsonReport{Now: now.UTC(), OK: true, Credentials: []jsonCredential{}}
	for _, it := range items {
		e := it.entry
		j := jsonCredential{
			Provider: e.Provider, Fingerprint: it.fp, Sources: e.Sources, InUse: it.cred != nil,
			State: it.a.State, Ignored: it.ignored, AgeDays: ledger.Days(it.a.Age), MaxAgeDays: ledger.Days(it.limits.MaxAge),
			Since: it.a.Since, From: it.a.Provenance, FirstSeen: e.FirstSeen, FileTime: e.FileTime,
			CreatedAt: e.CreatedAt, ExpiresAt: e.ExpiresAt, RotatedAt: e.RotatedAt, RetiredAt: e.RetiredAt,
			ReplacedBy: e.ReplacedBy, Replaces: e.Replaces,
		}
		if it.cred != nil {
			j.Masked, j.Source = it.cred.Masked(), it.cred.Source
			if !it.ignored && it.a.Failing() {
				r.OK = false
			}
		}
		r.Credentials = append(r.Credentials, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
