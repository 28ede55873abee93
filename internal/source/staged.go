package source

import (
	"context"
	"fmt"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// Staged is what `git commit` would record now: the added lines of every
// file in the index that differs from HEAD's tree, read from the index, so
// a partially staged file is scanned as staged, not as it is on disk. Line
// numbers are those of the staged version; paths are relative to the
// repository's top directory, as git prints them.
type Staged struct {
	// Dir is any directory inside the work tree (default: the current one).
	Dir string
	Options
}

// Fragments yields one fragment per run of added lines.
func (s Staged) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	r, err := gitrepo.Open(dirOr(s.Dir), gitrepo.Options{})
	if gitcli.UseGit(err) {
		return s.fragmentsViaGit(ctx, yield)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	if r.Root == "" {
		return fmt.Errorf("%s is a bare repository, which has no index to scan: %w", r.GitDir, gitrepo.ErrNotRepository)
	}
	changes, o, err := r.Staged()
	if err != nil {
		return err
	}
	o.MaxSize = s.maxSize()
	changes = s.exclude(changes)
	return r.Added(changes, o, func(a gitrepo.Added) error {
		return s.yieldAdded(ctx, a.Path, a.Skip, a.Err, a.Hunks, yield)
	})
}

// yieldAdded hands one staged path's added lines to yield, or records why
// the path was not read; both readers, native and through git, end here.
func (s Staged) yieldAdded(ctx context.Context, path, skip string, readErr error, hunks []gitrepo.Hunk, yield func(scan.Fragment) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case readErr != nil:
		return fmt.Errorf("%s: %w", path, readErr)
	case skip != "":
		s.skip(path, skip)
		return nil
	}
	for _, h := range hunks {
		if err := yield(scan.Fragment{Path: path, Content: h.Content, StartLine: h.Line}); err != nil {
			return err
		}
	}
	return nil
}

// exclude drops changes whose new path a global path allowlist excludes.
func (o Options) exclude(changes []gitrepo.Change) []gitrepo.Change {
	if o.Exclude == nil {
		return changes
	}
	out := changes[:0]
	for _, c := range changes {
		if c.To.Hash.IsZero() || !o.Exclude(c.Path) {
			out = append(out, c)
		}
	}
	return out
}

func dirOr(d string) string {
	if d == "" {
		return "."
	}
	return d
}
