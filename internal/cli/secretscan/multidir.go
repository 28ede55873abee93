package secretscan

import (
	"context"
	"os"

	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// dirs scans several roots, each directory with .gitignore honoured.
type dirs struct {
	roots []string
	opts  source.Options
}

func multiDir(roots []string, opts source.Options) source.Source {
	return dirs{roots: roots, opts: opts}
}

func (s dirs) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	for _, r := range s.roots {
		var src source.Source = source.Files{Paths: []string{r}, Options: s.opts}
		if fi, err := os.Stat(r); err == nil && fi.IsDir() {
			src = source.Dir{Root: r, Gitignore: true, Options: s.opts}
		}
		if err := src.Fragments(ctx, yield); err != nil {
			return err
		}
	}
	return nil
}
