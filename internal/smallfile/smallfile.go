// Package smallfile reads the small files tokenguard trusts to be small:
// credential files, configuration and state. A path can point anywhere (a
// named pipe, /dev/zero, a directory), and a plain read of such a path hangs
// or grows without end; Read opens without blocking, refuses what is not a
// regular file and reads at most a bound.
package smallfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/tokenguard/tokenguard/internal/bytesize"
)

// CredentialLimit bounds credential and configuration files: they are a few
// lines.
const CredentialLimit = 64 << 10

// Error is a file that exists but was not read. Path is the file as given,
// or as the caller renamed it for messages (Named).
type Error struct {
	Path string
	Why  string // "it is a named pipe, not a regular file", "permission denied"
	Err  error  // the system error, if any
}

func (e *Error) Error() string { return "cannot read " + e.Path + ": " + e.Why }
func (e *Error) Unwrap() error { return e.Err }

// Named returns the error with the file shown as name (e.g. "~/.modal.toml").
func (e *Error) Named(name string) *Error {
	c := *e
	c.Path = name
	return &c
}

// Read returns the contents of the regular file at path and its FileInfo.
// A missing file gives an error matching fs.ErrNotExist; any other failure
// is an *Error. It never blocks on a named pipe or device, and reads at most
// limit bytes.
func Read(path string, limit int64) ([]byte, fs.FileInfo, error) {
	// O_NONBLOCK: opening a named pipe for reading otherwise waits for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlock, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, &Error{Path: path, Why: reason(err), Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, &Error{Path: path, Why: reason(err), Err: err}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &Error{Path: path, Why: "it is " + kind(fi.Mode()) + ", not a regular file"}
	}
	tooBig := &Error{Path: path, Why: fmt.Sprintf("it is larger than %s, far more than such a file holds", bytesize.Size(limit))}
	if fi.Size() > limit {
		return nil, nil, tooBig
	}
	// The size can lie (files in /proc, a file growing while read): the
	// limit holds whatever it says.
	// Sized from fstat, like os.ReadFile: one read for the data, one for EOF.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, nil, &Error{Path: path, Why: reason(err), Err: err}
	}
	if int64(buf.Len()) > limit {
		return nil, nil, tooBig
	}
	return buf.Bytes(), fi, nil
}

// reason is the system's words for err, without the path os repeats.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.EISDIR) {
		return "it is a directory, not a regular file"
	}
	return err.Error()
}

// kind names a file mode that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}
