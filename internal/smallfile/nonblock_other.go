//go:build !unix

package smallfile

// Elsewhere there are no named pipes in the file system to block on.
const nonBlock = 0
