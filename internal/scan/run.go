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
		mu    sync.Mutex
		found []Finding
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				fs := e.Scan(f) // findings copy what they keep of Content
				if f.Done != nil {
					f.Done()
				}
				if len(fs) > 0 {
					mu.Lock()
					found = append(found, fs...)
					mu.Unlock()
				}
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
	SortFindings(found)
	return found, err
}

// ScanEach scans every fragment produce yields in the goroutine that
// yields it, and returns the findings ordered as ScanAll orders them. It is
// for producers that already spread their work over goroutines (a
// history's workers, source.Concurrent): handing each fragment to a pool of
// scanners as ScanAll does costs them a wake-up per fragment, 5–12 % of a
// history scan (BENCHMARKS.md). yield is safe for concurrent use.
func (e *Engine) ScanEach(ctx context.Context, produce func(yield func(Fragment) error) error) ([]Finding, error) {
	var (
		mu    sync.Mutex
		found []Finding
	)
	err := produce(func(f Fragment) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		fs := e.Scan(f) // findings copy what they keep of Content
		if f.Done != nil {
			f.Done()
		}
		if len(fs) > 0 {
			mu.Lock()
			found = append(found, fs...)
			mu.Unlock()
		}
		return nil
	})
	SortFindings(found)
	return found, err
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
