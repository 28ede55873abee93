package source

import (
	"os"
	"testing"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// BenchmarkHistory scans the whole history of the repository named by
// TOKENGUARD_BENCH_REPO through the default engine, as `secretscan history
// --all` does: for profiling (go test -bench History -cpuprofile,
// -memprofile) on histories built by bench/githistory.
func BenchmarkHistory(b *testing.B) {
	dir := os.Getenv("TOKENGUARD_BENCH_REPO")
	if dir == "" {
		b.Skip("TOKENGUARD_BENCH_REPO names no repository")
	}
	e, err := scan.New(scan.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h := &History{Dir: dir, All: true}
		found, err := Scan(b.Context(), e, h)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(h.Earliest(found))), "findings")
		b.ReportMetric(float64(h.Commits()), "commits")
	}
}
