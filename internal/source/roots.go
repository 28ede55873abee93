package source

import (
	"context"
	"os"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Roots is several paths named together (`secretscan baseline a/ b.py`),
// each read as what it is: a directory as a Dir with .gitignore honoured,
// anything else as a named file.
type Roots struct {
	Roots []string
	Options
}

// Fragments reads the roots in the order given.
func (s Roots) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	for _, r := range s.Roots {
		var src Source = Files{Paths: []string{r}, Options: s.Options}
		if fi, err := os.Stat(r); err == nil && fi.IsDir() {
			src = Dir{Root: r, Gitignore: true, Options: s.Options}
		}
		if err := src.Fragments(ctx, yield); err != nil {
			return err
		}
	}
	return nil
}
