package push

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
	"github.com/tokenguard/tokenguard/internal/token"
)

// Guard runs every check of a push; all run before the verdict.
type Guard struct {
	Dir         string         // any directory of the repository
	Remote, URL string         // the hook's arguments
	Engine      *scan.Engine   // secret rules and allowlists
	Baseline    *scan.Baseline // accepted findings; nil for none
	MaxFileSize int64          // files above it must be in LFS
	ScanMaxSize int64          // files above it are not scanned for secrets (0: source.DefaultMaxSize)
	HubHost     string         // host of HF_ENDPOINT, also recognised as the Hub
	Live        token.Live     // for the Hub check; the context bounds it
	SkipHub     bool
}

// Report is what one push would send that matters.
type Report struct {
	Remote, URL string
	Refs        int
	Commits     int
	Secrets     []scan.Finding
	LargeFiles  []LargeFile
	MaxFileSize int64
	Hub         *HubResult // nil when the remote is not a Hub repository
	Warnings    []string
	// NotScanned is what was not checked for secrets (over ScanMaxSize,
	// binary) and local objects the push names but the repository lacks.
	NotScanned  []source.Skip
	ScanMaxSize int64
}

// Check looks at everything the updates would send. hubCtx bounds the Hub
// check alone, so a slow Hub never delays the verdict on the rest.
func (g *Guard) Check(ctx, hubCtx context.Context, updates []Update) (*Report, error) {
	scanMax := cmp.Or(g.ScanMaxSize, source.DefaultMaxSize)
	rep := &Report{Remote: g.Remote, URL: g.URL, MaxFileSize: g.MaxFileSize, ScanMaxSize: scanMax}
	r, err := gitrepo.Open(g.Dir, gitrepo.Options{})
	if gitcli.UseGit(err) {
		return g.checkViaGit(ctx, hubCtx, updates)
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()

	var skips source.Skips
	opts := source.Options{MaxSize: scanMax, Skipped: skips.Add, Exclude: g.Engine.PathAllowed}
	var include, exclude []gitrepo.Hash
	var objs []tagged
	for _, u := range updates {
		if !u.Deletion() {
			rep.Refs++
			// Annotated tags are peeled: what they point at is what goes.
			h, kind, err := r.Peel(mustHash(u.LocalSHA))
			switch {
			case errors.Is(err, gitrepo.ErrMissingObject):
				skips.Add(u.LocalRef, fmt.Sprintf("missing: the pushed object %s is not in this repository", u.LocalSHA))
			case err != nil:
				return nil, fmt.Errorf("%s: %w", u.LocalRef, err)
			case kind == plumbing.CommitObject:
				include = append(include, h)
			default:
				objs = append(objs, tagged{ref: u.LocalRef, hash: h, kind: kind})
			}
		}
		if !u.NewRef() {
			h, kind, err := r.Peel(mustHash(u.RemoteSHA))
			if err == nil && kind == plumbing.CommitObject {
				_, err = r.Commit(h)
			}
			if err != nil {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("the remote's %s is at %s, which this repository does not have: fetch first to narrow the check", u.RemoteRef, u.RemoteSHA[:12]))
				continue
			}
			if kind == plumbing.CommitObject {
				exclude = append(exclude, h)
			}
		}
	}
	// Everything the remote is known to have, by its remote-tracking refs.
	if g.Remote != "" && !strings.Contains(g.Remote, "/") {
		tracking, err := r.Refs("refs/remotes/" + g.Remote + "/")
		if err != nil {
			return nil, err
		}
		exclude = append(exclude, tracking...)
	}

	var wg sync.WaitGroup
	g.startHubCheck(hubCtx, &wg, rep, updates)
	defer wg.Wait()

	var commits []*gitrepo.Commit
	if len(include) > 0 {
		byHash := map[gitrepo.Hash]*gitrepo.Commit{}
		hist, err := r.Commits(include, exclude, func(c *gitrepo.Commit) error {
			byHash[c.Hash] = c
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, h := range hist.Order {
			commits = append(commits, byHash[h])
		}
	}
	rep.Commits = len(commits)
	if len(commits) > 0 {
		// The two checks read the same trees through separate caches; on
		// two cores running them side by side halves the wait.
		var largeErr error
		wg.Go(func() { rep.LargeFiles, largeErr = LargeFiles(ctx, r, commits, g.MaxFileSize) })
		rep.Secrets, err = g.secrets(ctx, hexes(include), hexes(exclude), opts)
		wg.Wait()
		if err != nil {
			return nil, err
		}
		if largeErr != nil {
			return nil, largeErr
		}
	}
	if len(objs) > 0 {
		found, large, err := g.checkTagged(ctx, r, objs, opts)
		if err != nil {
			return nil, err
		}
		rep.Secrets = append(rep.Secrets, found...)
		rep.LargeFiles = append(rep.LargeFiles, large...)
	}
	rep.NotScanned = skips.List()
	return rep, nil
}

// startHubCheck checks, beside the rest, the token a push to a Hub remote
// would use; the answer lands in rep.Hub once wg is done.
func (g *Guard) startHubCheck(hubCtx context.Context, wg *sync.WaitGroup, rep *Report, updates []Update) {
	repo, ok := hub.ParseRemote(g.URL, g.HubHost)
	if !ok || g.SkipHub || len(updates) == 0 {
		return
	}
	wg.Go(func() {
		helper := ""
		if repo.Token == "" {
			helper = HelperToken(hubCtx, g.Dir, g.URL)
		}
		res := CheckHub(hubCtx, repo, helper, g.Live)
		rep.Hub = &res
	})
}

// secrets scans the lines the outgoing commits add, each secret reported
// once at the earliest commit that adds it.
func (g *Guard) secrets(ctx context.Context, include, exclude []string, opts source.Options) ([]scan.Finding, error) {
	hist := &source.History{Dir: g.Dir, Include: include, Exclude: exclude, Options: opts}
	found, err := source.Scan(ctx, g.Engine, hist)
	// Objects missing inside the outgoing history are in opts' skips,
	// which make the verdict incomplete; the findings still count.
	var missing *source.IncompleteError
	if err != nil && !errors.As(err, &missing) {
		return nil, err
	}
	found = hist.Earliest(found)
	if g.Baseline != nil {
		found = g.Baseline.Filter(found)
	}
	return found, nil
}

func mustHash(s string) gitrepo.Hash {
	h, _ := gitrepo.ParseHash(s) // ParseUpdates accepted only object names
	return h
}

func hexes(hs []gitrepo.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}
