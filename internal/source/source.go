// Package source produces the text secretscan reads: files named on the
// command line, a directory tree, standard input (and, later, the git index
// and commit ranges). Each source is one file behind the Source interface.
package source

import (
	"context"
	"errors"
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

// Concurrent is a Source whose own work runs on several goroutines (a
// history's workers) and that can yield from all of them at once. yield
// must be safe for concurrent use and must not keep a fragment's Content
// once it returns (ScanEach scans it first): a history reuses the buffers.
type Concurrent interface {
	Source
	FragmentsConcurrent(ctx context.Context, yield func(scan.Fragment) error) error
}

// Scan scans what src yields with e: in src's own goroutines when it is
// Concurrent (scan.Engine.ScanEach), else through e's scanners
// (scan.Engine.ScanAll).
func Scan(ctx context.Context, e *scan.Engine, src Source) ([]scan.Finding, error) {
	if c, ok := src.(Concurrent); ok {
		return e.ScanEach(ctx, func(yield func(scan.Fragment) error) error {
			return c.FragmentsConcurrent(ctx, yield)
		})
	}
	return e.ScanAll(ctx, 0, func(yield func(scan.Fragment) error) error {
		return src.Fragments(ctx, yield)
	})
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

// readFile reads one file for scanning into a fragment, or returns ok
// false when it is left out (too large, binary, unreadable); the reason
// goes to Options.Skipped, and the scan goes on. size is what stat said:
// a pipe or a device says 0 and is read all the same, up to the limit, so
// a FIFO that never ends costs at most MaxSize+1 bytes. The buffer comes
// from a pool and goes back to it when the engine calls the fragment's
// Done: a tree scan reads thousands of files, and fresh buffers cost
// zeroing, page faults and collections.
func readFile(path, name string, size int64, o Options) (f scan.Fragment, ok bool) {
	if size > o.maxSize() {
		o.skip(name, TooLargeReason(o.maxSize()))
		return f, false
	}
	file, err := os.Open(path)
	if err != nil {
		o.skip(name, unreadable(err))
		return f, false
	}
	defer file.Close()
	// A buffer of the size the file had, plus a byte to notice that it
	// grew; at most one byte past the limit is read.
	limit := int(o.maxSize()) + 1
	bp := getBuffer(min(int(size), limit-1) + 1)
	b := (*bp)[:0]
	for len(b) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // it grew: make room and go on
		}
		n, err := file.Read(b[len(b):min(cap(b), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			putBuffer(bp)
			o.skip(name, unreadable(err))
			return f, false
		}
	}
	*bp = b
	if int64(len(b)) > o.maxSize() {
		putBuffer(bp)
		o.skip(name, TooLargeReason(o.maxSize()))
		return f, false
	}
	if scan.IsBinary(b) {
		putBuffer(bp)
		o.skip(name, ReasonBinary)
		return f, false
	}
	return scan.Fragment{Path: name, Content: b, Done: func() { putBuffer(bp) }}, true
}

// buffers holds read buffers between files: a few, enough for the files in
// flight between the reader and the engine's workers. (A sync.Pool would be
// emptied by every collection.) Buffers over 1 MiB are not kept: a rare
// large file should not pin its size for the rest of the scan.
var buffers = make(chan *[]byte, 8)

const maxPooled = 1 << 20

func getBuffer(size int) *[]byte {
	select {
	case bp := <-buffers:
		if cap(*bp) >= size {
			return bp
		}
	default:
	}
	b := make([]byte, 0, max(size, 64<<10))
	return &b
}

func putBuffer(bp *[]byte) {
	if cap(*bp) > maxPooled {
		return
	}
	select {
	case buffers <- bp:
	default:
	}
}
