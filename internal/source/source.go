// Package source produces the text secretscan reads: files named on the
// command line, a directory tree, standard input (and, later, the git index
// and commit ranges). Each source is one file behind the Source interface.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Source yields fragments to scan. Fragments carry commit, author and date
// when the source is git history.
type Source interface {
	// Fragments calls yield once per fragment and stops at the first error
	// yield returns.
	Fragments(ctx context.Context, yield func(scan.Fragment) error) error
}

// DefaultMaxSize is the largest file scanned unless configured otherwise.
const DefaultMaxSize = 10 << 20

// Options are shared by the sources.
type Options struct {
	// MaxSize skips larger files (0 means DefaultMaxSize).
	MaxSize int64
	// Skipped, when set, hears about every file left out and why.
	Skipped func(path, reason string)
	// Exclude, when set, drops a path before it is read (global path
	// allowlists).
	Exclude func(path string) bool
}

func (o Options) maxSize() int64 {
	if o.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return o.MaxSize
}

func (o Options) skip(path, reason string) {
	if o.Skipped != nil {
		o.Skipped(path, reason)
	}
}

// ErrNotFound is a named input that does not exist.
var ErrNotFound = errors.New("no such file or directory")

// readFile reads one regular file for scanning, or returns nil content when
// it is to be skipped (too large, binary); the reason goes to Options.Skipped.
func readFile(path, name string, size int64, o Options) ([]byte, error) {
	if size > o.maxSize() {
		o.skip(name, fmt.Sprintf("larger than %s", humanSize(o.maxSize())))
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One buffer of the size the file had, plus a byte to notice that it
	// grew; at most one byte past the limit is read.
	limit := int(o.maxSize()) + 1
	b := make([]byte, 0, min(int(size), limit-1)+1)
	for len(b) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // it grew: make room and go on
		}
		n, err := f.Read(b[len(b):min(cap(b), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", name, err)
		}
	}
	if int64(len(b)) > o.maxSize() {
		o.skip(name, fmt.Sprintf("larger than %s", humanSize(o.maxSize())))
		return nil, nil
	}
	if scan.IsBinary(b) {
		o.skip(name, "binary")
		return nil, nil
	}
	return b, nil
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
