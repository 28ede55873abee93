package source

import (
	"context"
	"fmt"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// fragmentsViaGit is Staged.Fragments through git's plumbing, for a
// repository the fast reader hands to git (SHA-256): `git diff-index
// --cached` against HEAD and each MERGE_HEAD, blobs from `git cat-file`.
func (s Staged) fragmentsViaGit(ctx context.Context, yield func(scan.Fragment) error) error {
	r, err := gitcli.Open(ctx, dirOr(s.Dir))
	if err != nil {
		return err
	}
	defer r.Close()
	if r.Root == "" {
		return fmt.Errorf("%s is a bare repository, which has no index to scan: %w", r.GitDir, gitrepo.ErrNotRepository)
	}
	changes, o, err := r.Staged(ctx)
	if err != nil {
		return err
	}
	o.MaxSize = s.maxSize()
	if s.Exclude != nil {
		kept := changes[:0]
		for _, c := range changes {
			if c.To.Mode == 0 || !s.Exclude(c.Path) {
				kept = append(kept, c)
			}
		}
		changes = kept
	}
	return r.Added(changes, o, func(a gitcli.Added) error {
		return s.yieldAdded(ctx, a.Path, a.Skip, a.Err, a.Hunks, yield)
	})
}

// fragmentsViaGit is StagedFiles.Fragments through git's plumbing (`git
// ls-files --stage`, `git cat-file`), for a repository the fast reader
// hands to git.
func (s StagedFiles) fragmentsViaGit(ctx context.Context, yield func(scan.Fragment) error) error {
	r, err := gitcli.Open(ctx, ".")
	if err != nil || r.Root == "" {
		if r != nil {
			r.Close()
		}
		return Files(s).Fragments(ctx, yield)
	}
	defer r.Close()
	blobs, err := r.IndexBlobs(ctx)
	if err != nil {
		return err
	}
	return s.fromIndex(ctx, realDir(r.Root), func(rel string) readBlob {
		e, ok := blobs[rel]
		if !ok || !e.IsBlob() {
			return nil
		}
		return func(max int64) ([]byte, bool, error) { return r.Blob(e.ID, max) }
	}, yield)
}
