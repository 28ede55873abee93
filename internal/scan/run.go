package scan

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
)

// ScanAll scans every fragment produce yields, with workers goroutines (0
// means one per CPU), and returns the findings ordered by file, line and
// column. At most 2×workers fragments are held at once, so memory does not
// grow with the number of files. When produce fails, the error comes with
// the findings of what it yielded before (a scan that could not read
// everything still reports what it found).
func (e *Engine) ScanAll(ctx context.Context, workers int, produce func(yield func(Fragment) error) error) ([]Finding, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan Fragment, workers)
	var (
		found findings
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				found.scan(e, f)
			}
		}()
	}
	err := produce(func(f Fragment) error {
		select {
		case ch <- f:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(ch)
	wg.Wait()
	return found.sorted(), err
}

// ScanEach scans every fragment produce yields in the goroutine that
// yields it, and returns the findings ordered as ScanAll orders them. It is
// for producers that already spread their work over goroutines (a
// history's workers, source.Concurrent): handing each fragment to a pool of
// scanners as ScanAll does costs them a wake-up per fragment, 5–12 % of a
// history scan (BENCHMARKS.md). yield is safe for concurrent use.
func (e *Engine) ScanEach(ctx context.Context, produce func(yield func(Fragment) error) error) ([]Finding, error) {
	var found findings
	err := produce(func(f Fragment) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		found.scan(e, f)
		return nil
	})
	return found.sorted(), err
}

// findings gathers what scans on several goroutines find.
type findings struct {
	mu  sync.Mutex
	all []Finding
}

// scan scans f, hands it back (Done), and keeps what it found.
func (c *findings) scan(e *Engine, f Fragment) {
	fs := e.Scan(f) // findings copy what they keep of Content
	if f.Done != nil {
		f.Done()
	}
	if len(fs) > 0 {
		c.mu.Lock()
		c.all = append(c.all, fs...)
		c.mu.Unlock()
	}
}

// sorted is the findings in report order, once every scan has ended.
func (c *findings) sorted() []Finding {
	SortFindings(c.all)
	return c.all
}

// SortFindings orders findings by file, commit, line, column and rule.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Commit, b.Commit),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.RuleID, b.RuleID),
		)
	})
}
