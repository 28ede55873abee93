package tokencheck

import (
	"encoding/json"
	"io"
	"time"

	"github.com/tokenguard/tokenguard/internal/token"
)

// jsonReport is the documented --format json schema (see the README).
type jsonReport struct {
	OK        bool         `json:"ok"`
	CheckedAt time.Time    `json:"checked_at"`
	Results   []jsonResult `json:"results"`
}

type jsonResult struct {
	token.Result
	AgeDays *int `json:"age_days"`
}

func writeJSON(w io.Writer, results []token.Result, now time.Time) error {
	rep := jsonReport{OK: verdict(results) == nil, CheckedAt: now.UTC().Truncate(time.Second), Results: []jsonResult{}}
	for _, r := range results {
		jr := jsonResult{Result: r}
		if d := ageDays(r, now); d >= 0 {
			jr.AgeDays = &d
		}
		rep.Results = append(rep.Results, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
