//go:build !unix

package ledger

import "time"

// lock is a no-op where flock is missing: the atomic rename still keeps the
// file whole, at the cost of a possibly lost concurrent update.
func lock(string, time.Duration) (func(), error) { return func() {}, nil }
