package source

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// StagedFiles is Files inside a git work tree: a named file that is in the
// index is read from the index, so what is scanned is what would be
// committed even when the working copy differs; any other path is read
// from disk as Files does. Outside a repository it is exactly Files. This
// is what makes `pre-commit run --all-files` scan every tracked file.
type StagedFiles struct {
	Paths []string
	Options
}

// Fragments yields each file in order.
func (s StagedFiles) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	r, err := gitrepo.Open(".", gitrepo.Options{})
	if gitcli.UseGit(err) {
		return s.fragmentsViaGit(ctx, yield)
	}
	if err != nil || r.Root == "" {
		if r != nil {
			r.Close()
		}
		return Files(s).Fragments(ctx, yield)
	}
	defer r.Close()
	blobs, err := r.IndexBlobs()
	if err != nil {
		return err
	}
	return s.fromIndex(ctx, realDir(r.Root), func(rel string) readBlob {
		e, ok := blobs[rel]
		if !ok || !e.IsBlob() {
			return nil
		}
		return func(max int64) ([]byte, bool, error) { return r.Blob(e.Hash, max) }
	}, yield)
}

// readBlob reads a staged blob; content over max is not read (tooLarge).
type readBlob func(max int64) (content []byte, tooLarge bool, err error)

// fromIndex yields each path's staged version, the same for either reader:
// staged(rel) reads the blob the index holds at rel (root-relative), or is
// nil for a path the index holds no file at, which is read from disk.
func (s StagedFiles) fromIndex(ctx context.Context, root string, staged func(rel string) readBlob, yield func(scan.Fragment) error) error {
	for _, p := range s.Paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		read := staged(repoPath(root, p))
		if read == nil {
			if err := (Files{Paths: []string{p}, Options: s.Options}).Fragments(ctx, yield); err != nil {
				return err
			}
			continue
		}
		name := filepath.ToSlash(filepath.Clean(p))
		if s.Exclude != nil && s.Exclude(name) {
			continue
		}
		b, tooLarge, err := read(s.maxSize())
		switch {
		case err != nil:
			return fmt.Errorf("%s: staged version: %w", name, err)
		case tooLarge:
			s.skip(name, TooLargeReason(s.maxSize()))
			continue
		case scan.IsBinary(b):
			s.skip(name, "binary")
			continue
		}
		if err := yield(scan.Fragment{Path: name, Content: b}); err != nil {
			return err
		}
	}
	return nil
}

// repoPath is p relative to the work tree's top, slash-separated, or ""
// when p lies outside it.
func repoPath(root, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	abs = filepath.Join(realDir(filepath.Dir(abs)), filepath.Base(abs))
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return ""
	}
	return filepath.ToSlash(rel)
}

func realDir(d string) string {
	if r, err := filepath.EvalSymlinks(d); err == nil {
		return r
	}
	return d
}
