package push

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/source"
)

// checkViaGit is Check for a repository the fast reader hands to git's
// plumbing (SHA-256): the same checks and the same report, with the
// outgoing commits from `git log --raw` and blob sizes from `git cat-file
// --batch-check`.
func (g *Guard) checkViaGit(ctx, hubCtx context.Context, updates []Update) (*Report, error) {
	scanMax := cmp.Or(g.ScanMaxSize, source.DefaultMaxSize)
	rep := &Report{Remote: g.Remote, URL: g.URL, MaxFileSize: g.MaxFileSize, ScanMaxSize: scanMax}
	var skips source.Skips
	opts := source.Options{MaxSize: scanMax, Skipped: skips.Add, Exclude: g.Engine.PathAllowed}
	r, err := gitcli.Open(ctx, g.Dir)
	if err != nil {
		return nil, err
	}
	defer r.Close()

	var include, exclude []string
	for _, u := range updates {
		if !u.Deletion() {
			rep.Refs++
			include = append(include, u.LocalSHA)
		}
		if !u.NewRef() {
			if !r.HasCommit(ctx, u.RemoteSHA) {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("the remote's %s is at %s, which this repository does not have: fetch first to narrow the check", u.RemoteRef, u.RemoteSHA[:12]))
				continue
			}
			exclude = append(exclude, u.RemoteSHA)
		}
	}
	if g.Remote != "" && !strings.Contains(g.Remote, "/") {
		tracking, err := r.Refs(ctx, "refs/remotes/"+g.Remote+"/")
		if err != nil {
			return nil, err
		}
		exclude = append(exclude, tracking...)
	}

	var wg sync.WaitGroup
	g.startHubCheck(hubCtx, &wg, rep, updates)
	defer wg.Wait()
	if len(include) == 0 {
		return rep, nil
	}
	revs := include
	if len(exclude) > 0 {
		revs = append(append(revs, "--not"), exclude...)
	}
	rep.Commits, rep.LargeFiles, err = largeFilesViaGit(ctx, r, revs, g.MaxFileSize)
	if err != nil {
		return nil, err
	}
	if rep.Commits == 0 {
		return rep, nil
	}
	rep.Secrets, err = g.secrets(ctx, include, exclude, opts)
	if err != nil {
		return nil, err
	}
	rep.NotScanned = skips.List()
	return rep, nil
}

// largeFilesViaGit is LargeFiles through git: the blobs over limit the
// commits revs select add, each once, at the oldest commit that adds it
// (parents first, else the earlier committer date). A merge's path equal
// to a parent's other than the first came with that parent's history; git's
// combined diff leaves such paths out.
func largeFilesViaGit(ctx context.Context, r *gitcli.Repo, revs []string, limit int64) (commits int, out []LargeFile, err error) {
	seen := map[string]bool{}
	err = r.Log(ctx, revs, func(c *gitcli.Commit, changes []gitcli.Change) error {
		commits++
		for _, ch := range changes {
			if !ch.To.IsBlob() || seen[ch.To.ID] {
				continue
			}
			seen[ch.To.ID] = true
			size, err := r.Size(ch.To.ID)
			if err != nil {
				return fmt.Errorf("commit %s: %s: %w", c.ID, ch.Path, err)
			}
			if size > limit {
				out = append(out, LargeFile{Path: ch.Path, Size: size, Commit: c.ID})
			}
		}
		return nil
	})
	return commits, out, err
}
