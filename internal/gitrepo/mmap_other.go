//go:build !unix

package gitrepo

import (
	"io"
	"os"
)

// mapFile reads the whole pack file where memory mapping is not available.
func mapFile(f *os.File) ([]byte, func() error, error) {
	b, err := io.ReadAll(f)
	return b, func() error { return nil }, err
}
