package push

import (
	"context"
	"slices"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// DefaultMaxFileSize is the Hugging Face Hub's limit for files not stored in LFS.
const DefaultMaxFileSize = 10 << 20

// LargeFile is a file over the limit stored as a regular git blob. An LFS
// pointer is a small text blob, so a blob this large is never one.
type LargeFile struct {
	Path   string
	Size   int64
	Commit string // id of the first outgoing commit that adds this content
}

// LargeFiles finds the blobs over limit that the commits add, each reported
// once, at the oldest commit that adds it. commits may come in any order.
// It stops between commits when ctx ends, with ctx's error.
func LargeFiles(ctx context.Context, r *gitrepo.Repo, commits []*gitrepo.Commit, limit int64) ([]LargeFile, error) {
	ordered := slices.Clone(commits)
	slices.SortStableFunc(ordered, func(a, b *gitrepo.Commit) int { return a.Commit.Compare(b.Commit) })
	seen := map[gitrepo.Hash]bool{}
	var out []LargeFile
	for _, c := range ordered {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		check := func(path string, e gitrepo.Entry) error {
			if !e.IsBlob() || seen[e.Hash] {
				return nil
			}
			seen[e.Hash] = true
			size, err := r.BlobSize(e.Hash)
			if err != nil {
				return err
			}
			if size > limit {
				if inOtherParent, err := fromOtherParent(r, c, path, e.Hash); err != nil || inOtherParent {
					return err
				}
				out = append(out, LargeFile{Path: path, Size: size, Commit: c.Hash.String()})
			}
			return nil
		}
		var err error
		if len(c.Parents) == 0 {
			err = r.Walk(c.Tree, check)
		} else {
			var parent *gitrepo.Commit
			if parent, err = r.Commit(c.Parents[0]); err == nil {
				err = r.DiffTree(parent.Tree, c.Tree, func(ch gitrepo.Change) error {
					if ch.To.Hash.IsZero() {
						return nil // deleted
					}
					return check(ch.Path, ch.To)
				})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fromOtherParent reports whether a merge commit took this content from a
// parent other than the first: then that parent's history introduced it.
func fromOtherParent(r *gitrepo.Repo, c *gitrepo.Commit, path string, blob gitrepo.Hash) (bool, error) {
	for _, p := range c.Parents[min(1, len(c.Parents)):] {
		pc, err := r.Commit(p)
		if err != nil {
			return false, err
		}
		e, ok, err := r.Lookup(pc.Tree, path)
		if err != nil {
			return false, err
		}
		if ok && e.Hash == blob {
			return true, nil
		}
	}
	return false, nil
}
