package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Files is a list of files, as the pre-commit framework passes them. A
// directory in the list is walked like Dir.
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
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", p, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if fi.IsDir() {
			if err := (Dir{Root: p, Options: s.Options}).Fragments(ctx, yield); err != nil {
				return err
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			s.skip(p, "not a regular file")
			continue
		}
		name := filepath.ToSlash(filepath.Clean(p))
		if s.Exclude != nil && s.Exclude(name) {
			continue
		}
		f, ok, err := readFile(p, name, fi.Size(), s.Options)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := yield(f); err != nil {
			return err
		}
	}
	return nil
}
