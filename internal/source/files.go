package source

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Files is a list of files, as the pre-commit framework passes them. A
// directory in the list is walked like Dir. Whatever else is named is read
// as the user asked, pipes and devices included (`<(cmd)`, /dev/stdin, a
// FIFO), up to MaxSize+1 bytes. A path that cannot be read is reported to
// Options.Skipped and the others are still scanned.
type Files struct {
	Paths []string
	Options
}

// Fragments yields each file in order.
func (s Files) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	for _, p := range s.Paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := filepath.ToSlash(filepath.Clean(p))
		fi, err := os.Stat(p)
		if err != nil {
			s.skip(name, statFailure(p, err))
			continue
		}
		if fi.IsDir() {
			if err := (Dir{Root: p, Options: s.Options}).Fragments(ctx, yield); err != nil {
				return err
			}
			continue
		}
		if s.Exclude != nil && s.Exclude(name) {
			continue
		}
		size := fi.Size()
		if !fi.Mode().IsRegular() {
			size = 0 // a pipe's or device's size says nothing of what it yields
		}
		f, ok := readFile(p, name, size, s.Options)
		if !ok {
			continue
		}
		if err := yield(f); err != nil {
			return err
		}
	}
	return nil
}

// statFailure words why a named path could not be looked at: it does not
// exist (the name is wrong), it is a symbolic link to nothing, or
// something on the way cannot be read.
func statFailure(p string, err error) string {
	_, lerr := os.Lstat(p)
	switch {
	case errors.Is(lerr, fs.ErrNotExist):
		return ReasonMissing
	case lerr == nil && errors.Is(err, fs.ErrNotExist):
		target, _ := os.Readlink(p)
		return reasonNoRead + "dangling symbolic link to " + target
	}
	return unreadable(err)
}
