package secretscan

import (
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// notRepoHint is the next step when a git command runs outside a work tree.
const notRepoHint = "run it inside a git work tree, or use 'secretscan dir' or 'secretscan files'"

// gitWarn is how history sources report what they could not read.
func (d *scanner) gitWarn(msg string) {
	d.log.WithFields(logrus.Fields{authlog.FieldEvent: "skip"}).Warn(msg)
}

// reducer is a source whose findings are reduced once the scan is done
// (history: each secret once, at its earliest commit).
type reducer interface {
	Reduce([]scan.Finding) []scan.Finding
}

// historyScan is a history source whose findings are reduced to the
// earliest commit of each secret unless every occurrence is wanted.
type historyScan struct {
	*source.History
	allOccurrences bool
}

// Reduce keeps each secret's earliest occurrence.
func (h historyScan) Reduce(fs []scan.Finding) []scan.Finding {
	if h.allOccurrences {
		return fs
	}
	out := h.Earliest(fs)
	scan.SortFindings(out)
	return out
}

// scanHistory runs a history or range scan, with progress on a terminal.
func (d *scanner) scanHistory(h *source.History, allOccurrences bool) error {
	h.Options = d.sourceOptions()
	h.Warn = d.gitWarn
	if isTerminal(d.stderr) {
		p := &progress{d: d, start: time.Now()}
		h.Progress = p.update
		defer p.finish()
	}
	return d.scanAndReport(historyScan{History: h, allOccurrences: allOccurrences})
}

// progress draws "commits done / total, rate" on a terminal (done alone
// while the walk is still counting), at most ten times a second.
type progress struct {
	mu    sync.Mutex // update is called from several workers
	d     *scanner
	start time.Time
	last  time.Time
	shown bool
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done != total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	if total == 0 { // the walk is still finding commits
		fmt.Fprintf(p.d.stderr, "\r%s: %d commits (%.0f/s)\x1b[K", name, done, rate)
	} else {
		fmt.Fprintf(p.d.stderr, "\r%s: %d/%d commits (%.0f/s)\x1b[K", name, done, total, rate)
	}
	p.shown = true
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.d.stderr, "\r\x1b[K")
	}
}
