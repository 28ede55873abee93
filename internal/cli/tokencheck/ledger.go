package tokencheck

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/ledger"
	"github.com/tokenguard/tokenguard/internal/statedir"
	"github.com/tokenguard/tokenguard/internal/token"
)

// recordAges tells the ledger what the live checks learnt: every credential
// a service answered for is seen now, with the creation and expiry dates the
// provider reported (Hugging Face createdAt, Modal created_at/expires_at,
// GitHub's expiration header), so tokenage can judge ages offline. A ledger
// that cannot be written costs tokenage some precision, never the check.
func recordAges(log *logrus.Logger, results []token.Result) {
	var reports []ledger.Report
	for _, r := range results {
		switch r.Status {
		case token.Valid, token.Expired, token.Insufficient:
		default:
			continue // the service did not vouch for the credential
		}
		if r.Fingerprint == "" {
			continue
		}
		reports = append(reports, ledger.Report{
			Sighting:  ledger.Sighting{Provider: r.Provider, Source: r.Source, Fingerprint: r.Fingerprint, FileTime: r.ModTime},
			CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		})
	}
	if len(reports) == 0 {
		return
	}
	dir, err := statedir.Dir(os.Getenv)
	if err != nil {
		return
	}
	_, err = ledger.Open(filepath.Join(dir, ledger.FileName)).Update(func(l *ledger.Ledger) bool {
		return l.Record(reports, clock.Now())
	})
	var corrupt *ledger.CorruptError
	switch {
	case errors.As(err, &corrupt):
		// The valid entries were kept and the original set aside: say where.
		log.Warn(corrupt.Error())
	case err != nil:
		log.Warnf("token-age ledger not updated: %v", err)
	}
}
