package push

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// tagged is a tree or a blob an annotated tag points at: pushing the tag
// sends it whole, so all of it is checked, under the tag's ref name
// ("refs/tags/keys" for a blob, "refs/tags/v1-tree:config.env" for a file
// of a tree).
type tagged struct {
	ref  string
	hash gitrepo.Hash
	kind plumbing.ObjectType
}

// checkTagged scans what tags point at that is not a commit, and finds its
// blobs over the large-file limit (reported without a commit).
func (g *Guard) checkTagged(ctx context.Context, r *gitrepo.Repo, objs []tagged, o source.Options) ([]scan.Finding, []LargeFile, error) {
	var large []LargeFile
	found, err := g.Engine.ScanAll(ctx, 0, func(yield func(scan.Fragment) error) error {
		blob := func(name string, h gitrepo.Hash) error {
			size, err := r.BlobSize(h)
			if err != nil {
				return err
			}
			if size > g.MaxFileSize {
				large = append(large, LargeFile{Path: name, Size: size})
			}
			b, tooLarge, err := r.Blob(h, o.MaxSize)
			switch {
			case err != nil:
				return err
			case tooLarge:
				o.Skipped(name, source.TooLargeReason(o.MaxSize))
				return nil
			case scan.IsBinary(b):
				o.Skipped(name, source.ReasonBinary)
				return nil
			}
			return yield(scan.Fragment{Path: name, Content: b})
		}
		for _, t := range objs {
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			switch t.kind {
			case plumbing.BlobObject:
				err = blob(t.ref, t.hash)
			case plumbing.TreeObject:
				err = r.Walk(t.hash, func(path string, e gitrepo.Entry) error {
					if !e.IsBlob() {
						return nil // symlinks and submodules hold no content of their own
					}
					return blob(t.ref+":"+path, e.Hash)
				})
			}
			if err != nil {
				return fmt.Errorf("%s: %w", t.ref, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if g.Baseline != nil {
		found = g.Baseline.Filter(found)
	}
	return found, large, nil
}
