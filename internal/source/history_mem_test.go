package source

import (
	"math"
	"runtime/debug"
	"testing"
)

// The history scan holds the heap near its caches' budget while it runs,
// then leaves the limit as it found it; a limit the user set stays.
func TestSoftMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(old)
	restore := softMemoryLimit(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != 100<<20 {
		t.Fatalf("limit during the scan %d, want %d", got, 100<<20)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit after the scan %d, want none", got)
	}
	debug.SetMemoryLimit(1 << 30) // as GOMEMLIMIT=1GiB would
	softMemoryLimit(100 << 20)()
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Fatalf("the user's limit became %d", got)
	}
}
