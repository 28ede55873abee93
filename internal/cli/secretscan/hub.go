package secretscan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sync/errgroup"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/hubfetch"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
	"github.com/tokenguard/tokenguard/internal/verify"
)

type hubCmd struct {
	Repos          []string `arg:"" optional:"" name:"repo" placeholder:"NAMESPACE/NAME" help:"Repositories to scan: NAMESPACE/NAME (of --type, default model), or datasets/NAMESPACE/NAME, spaces/NAMESPACE/NAME."`
	Type           string   `placeholder:"TYPE" help:"model, dataset or space: the type of the repositories named, and the only type listed for --user/--org (default: all three)."`
	User           []string `placeholder:"USER" help:"Scan every repository of this user (repeatable)."`
	Org            []string `placeholder:"ORG" help:"Scan every repository of this organisation (repeatable)."`
	Include        []string `placeholder:"GLOB" help:"Of the repositories --user/--org list, scan only those matching GLOB (repeatable): NAMESPACE/NAME of any type, or models/, datasets/, spaces/NAMESPACE/NAME; * does not cross /. Repositories named as arguments are always scanned."`
	Exclude        []string `placeholder:"GLOB" help:"Of the repositories --user/--org list, leave out those matching GLOB (repeatable; wins over --include)."`
	PullRequests   bool     `name:"pull-requests" help:"Also scan the Hub's pull-request refs (refs/pr/*)."`
	Discussions    bool     `help:"Also scan the comments of every discussion and pull request (through the discussions API; every run, --since-state or not)."`
	SinceState     string   `name:"since-state" placeholder:"FILE" help:"Read and update FILE (0600): each repository's scanned heads; a re-run scans only commits not reachable from them."`
	Shard          string   `placeholder:"K/N" help:"Scan only share K of N (1 ≤ K ≤ N) of the repositories, by a stable hash of their type and id: N jobs with K = 1…N cover each repository exactly once."`
	Parallel       int      `default:"4" help:"Repositories fetched and scanned at once."`
	AllOccurrences bool     `name:"all-occurrences" help:"Report a secret in every commit that adds it, not only the first."`
	NoProgress     bool     `name:"no-progress" help:"Do not draw the progress line (drawn on stderr only when it is a terminal, and not with -v)."`
}

func (c *hubCmd) Help() string {
	return `Scans repositories on the Hugging Face Hub (HF_ENDPOINT, default
https://huggingface.co): models, datasets and Spaces, named one by one or
every repository of a user or organisation (--user, --org), through the
listing API. Private repositories are read with the Hugging Face token
found as tokencheck finds it (HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the token
file); without one only public repositories are read.

Each repository's branches and tags (and refs/pr/* with --pull-requests)
are fetched by git into a temporary bare repository, removed at the end,
and every commit is scanned as 'secretscan history --all' does. LFS files
stay pointers: their content is not downloaded, and the report counts
them with their sizes (they do not make the scan incomplete). Each finding
names the repository, the commit, the path, the line and a link to the
file at that commit on the Hub; SARIF uses the link as its location.
--discussions also scans the title and comments of every discussion and
pull request; such a finding links to the comment.

--include and --exclude (repeatable) choose among the repositories that
--user and --org list, by path.Match globs over NAMESPACE/NAME (any type)
or models/, datasets/, spaces/NAMESPACE/NAME (that type); * does not
cross /. An --exclude wins over an --include; repositories named as
arguments are always scanned; -v says how many were left out.

On a terminal, stderr shows one line redrawn as the scan goes:
repositories done of all, bytes fetched and scanned (not with -v, with
--no-progress, TERM=dumb or when stderr is not a terminal). With --shard
K/N the JSON report records "shard": "K/N"; 'secretscan merge' combines
the jobs' reports into one.

Exits 0 when every repository was read and is clean, 1 when secrets are
found (even if some repository could not be read; both are reported), 2
on a bad flag or argument, 3 when a repository could not be read (not
found, private and not readable with the token, the network still
failing after retries) or could not be listed.

  $ secretscan hub alice/bert spaces/alice/demo
  $ secretscan hub --org ml-team --pull-requests -f sarif --report hub.sarif
  $ secretscan hub --org ml-team --exclude 'spaces/ml-team/*' --include 'ml-team/bert-*'
  $ secretscan hub --org ml-team --shard 2/7 --since-state state-2.json -f json --report r-2.json`
}

// types are the repository types, as the Hub's URLs and API name them.
var types = []string{"model", "dataset", "space"}

func (c *hubCmd) Validate() error {
	if c.Type != "" && !slices.Contains(types, c.Type) {
		return fmt.Errorf("--type must be one of model, dataset, space, not %q", c.Type)
	}
	if len(c.Repos) == 0 && len(c.User) == 0 && len(c.Org) == 0 {
		return errors.New("name repositories (NAMESPACE/NAME), or --user or --org to list them")
	}
	for _, r := range c.Repos {
		if _, err := c.parseRepo(r); err != nil {
			return err
		}
	}
	if c.Shard != "" {
		if _, _, err := parseShard(c.Shard); err != nil {
			return err
		}
	}
	if len(c.Include)+len(c.Exclude) > 0 && len(c.User)+len(c.Org) == 0 {
		return errors.New("--include and --exclude choose among the repositories --user and --org list; repositories named as arguments are always scanned")
	}
	for _, g := range c.Include {
		if err := checkGlob("--include", g); err != nil {
			return err
		}
	}
	for _, g := range c.Exclude {
		if err := checkGlob("--exclude", g); err != nil {
			return err
		}
	}
	if c.Parallel < 1 {
		return fmt.Errorf("--parallel must be at least 1, not %d", c.Parallel)
	}
	return nil
}

// parseRepo reads NAMESPACE/NAME or {models,datasets,spaces}/NAMESPACE/NAME.
func (c *hubCmd) parseRepo(s string) (hub.Repo, error) {
	typ := cmp.Or(c.Type, "model")
	parts := strings.Split(s, "/")
	if len(parts) == 3 {
		t, ok := strings.CutSuffix(parts[0], "s")
		if !ok || !slices.Contains(types, t) {
			return hub.Repo{}, fmt.Errorf("repository %q: the prefix must be models/, datasets/ or spaces/", s)
		}
		typ, parts = t, parts[1:]
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return hub.Repo{}, fmt.Errorf("repository %q is not NAMESPACE/NAME (or datasets/NAMESPACE/NAME, spaces/NAMESPACE/NAME)", s)
	}
	return hub.Repo{Type: typ, ID: parts[0] + "/" + parts[1]}, nil
}

// parseShard reads K/N.
func parseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("--shard %q is not K/N with 1 ≤ K ≤ N, e.g. 2/7", s)
	}
	return k, n, nil
}

// inShard reports whether a repository falls in share k of n: a stable
// hash of its type and id, so every job of a matrix agrees.
func inShard(r hub.Repo, k, n int) bool {
	h := fnv.New64a()
	h.Write([]byte(r.Type + "/" + r.ID))
	return int(h.Sum64()%uint64(n)) == k-1
}

// name is how reports name a repository: "space alice/app".
func repoName(r hub.Repo) string { return r.Type + " " + r.ID }

// hubRun is one run of the command: what each repository gave.
type hubRun struct {
	cmd      *hubCmd
	d        *scanner
	client   *hub.Client
	state    *hubState
	progress *hubProgress
	excluded int // listed, left out by --include/--exclude

	mu       sync.Mutex
	found    []scan.Finding
	unread   []report.NotScanned // repositories not read
	lfs      []report.NotScanned // LFS files left as pointers
	missing  []*source.IncompleteError
	complete int
}

func (c *hubCmd) Run(d *scanner) error {
	token := ""
	for _, cr := range credential.HF(credential.OSEnv()) {
		if cr.Err == nil && cr.Value != "" {
			token = cr.Value
			break
		}
	}
	policy := retry.Default()
	policy.OnRetry = func(a retry.Attempt) {
		d.log.WithFields(logrus.Fields{authlog.FieldEvent: "retry", "attempt": a.Number, "http_status": a.StatusCode}).
			Infof("attempt %d failed (%v); retrying in %s", a.Number, a.Err, a.Delay.Round(time.Millisecond))
	}
	client := &hub.Client{Endpoint: hub.Endpoint(os.Getenv("HF_ENDPOINT")), Token: token, HTTP: hub.NewHTTP(c.Parallel),
		Retry: policy, UserAgent: clikit.UserAgent(name)}

	repos, excluded, err := c.targets(d.ctx, client)
	if err != nil {
		return err
	}
	if excluded > 0 {
		d.log.WithFields(logrus.Fields{authlog.FieldEvent: "exclude", "excluded": excluded}).
			Infof("%s listed but left out by --include/--exclude", repositories(excluded))
	}
	run := &hubRun{cmd: c, d: d, client: client, excluded: excluded}
	if c.SinceState != "" {
		if run.state, err = loadHubState(c.SinceState); err != nil {
			return clikit.Errorf(clikit.ExitUsage, "pass a state file written by 'secretscan hub --since-state', or a new path", "%w", err)
		}
	}
	bl, err := d.loadBaseline()
	if err != nil {
		return err
	}
	on := !c.NoProgress && !d.cli.Verbose && isTerminal(d.stderr) && os.Getenv("TERM") != "dumb"
	run.progress = newHubProgress(d.stderr, on, len(repos), excluded, 200*time.Millisecond)
	g, ctx := errgroup.WithContext(d.ctx)
	g.SetLimit(c.Parallel)
	for _, r := range repos {
		g.Go(func() error {
			defer run.progress.repoDone()
			return run.one(ctx, r)
		})
	}
	err = g.Wait()
	run.progress.close()
	if err != nil {
		return err
	}
	return run.finish(bl, len(repos))
}

// targets are the repositories named and listed, each once, in this
// shard; excluded counts the listed ones --include/--exclude left out.
func (c *hubCmd) targets(ctx context.Context, client *hub.Client) (repos []hub.Repo, excluded int, err error) {
	named := map[hub.Repo]bool{}
	for _, s := range c.Repos {
		r, _ := c.parseRepo(s) // checked by Validate
		repos = append(repos, r)
		named[r] = true
	}
	filter, dropped := repoFilter{include: c.Include, exclude: c.Exclude}, map[hub.Repo]bool{}
	listTypes := types
	if c.Type != "" {
		listTypes = []string{c.Type}
	}
	for _, author := range slices.Concat(c.User, c.Org) {
		for _, t := range listTypes {
			listed, err := client.ListRepos(ctx, t, author)
			if err != nil {
				return nil, 0, clikit.Errorf(clikit.ExitIncomplete, "check the name, the network and HF_ENDPOINT, then run it again", "%s: %w", author, err)
			}
			for _, l := range listed {
				r := hub.Repo{Type: t, ID: l.ID}
				if !named[r] && !filter.keep(r) {
					if !dropped[r] { // a user's repository may be listed again under an org
						dropped[r] = true
						excluded++
					}
					continue
				}
				repos = append(repos, r)
			}
		}
	}
	slices.SortFunc(repos, func(a, b hub.Repo) int { return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.ID, b.ID)) })
	repos = slices.Compact(repos)
	if c.Shard != "" {
		k, n, _ := parseShard(c.Shard)
		repos = slices.DeleteFunc(repos, func(r hub.Repo) bool { return !inShard(r, k, n) })
	}
	return repos, excluded, nil
}

// one fetches and scans one repository. Only an interrupted run is an
// error; a repository that cannot be read is recorded and the rest go on.
func (run *hubRun) one(ctx context.Context, r hub.Repo) error {
	d, log := run.d, run.d.log.WithFields(logrus.Fields{"repository": repoName(r)})
	tmp, err := os.MkdirTemp("", "secretscan-hub-")
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "check TMPDIR", "failed to make a temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "repo.git")
	start := time.Now()
	err = hubfetch.Fetch(ctx, hubfetch.Request{Hub: run.client, Repo: r, PullRequests: run.cmd.PullRequests}, dir)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		run.progress.above(func() {
			log.WithFields(logrus.Fields{authlog.FieldEvent: "skip"}).Warnf("%s: not scanned: %v", repoName(r), err)
		})
		run.mu.Lock()
		run.unread = append(run.unread, report.NotScanned{Path: repoName(r), Reason: "not read: " + err.Error(), Incomplete: true})
		run.mu.Unlock()
		return nil
	}
	fetched := time.Since(start)
	run.progress.addFetched(fetchedSize(dir))
	heads, err := refHeads(ctx, dir)
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "", "%s: %w", repoName(r), err)
	}
	h := &source.History{Dir: dir, All: true, Warn: d.gitWarn}
	h.Exclude = run.state.known(ctx, r, dir)
	opts := d.sourceOptions()
	skipped := opts.Skipped
	opts.Skipped = func(path, reason string) { skipped(repoName(r)+": "+path, reason) }
	h.Options = opts
	if run.cmd.Discussions {
		if err := run.discussions(ctx, r); err != nil {
			return err
		}
	}
	if len(heads) == 0 || run.state.unchanged(r, heads) {
		log.Debug("nothing new")
		run.done(r, heads, nil, nil)
		return nil
	}
	lfs := &lfsPointers{}
	// Each of the history's workers scans what it reads (see source.Scan);
	// note and addScanned are safe for concurrent use.
	found, err := d.engine.ScanEach(ctx, func(yield func(scan.Fragment) error) error {
		return h.FragmentsConcurrent(ctx, func(f scan.Fragment) error {
			lfs.note(f)
			run.progress.addScanned(int64(len(f.Content)))
			return yield(f)
		})
	})
	var incomplete *source.IncompleteError
	if err != nil && !errors.As(err, &incomplete) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		run.mu.Lock()
		run.unread = append(run.unread, report.NotScanned{Path: repoName(r), Reason: "not scanned: " + err.Error(), Incomplete: true})
		run.mu.Unlock()
		return nil
	}
	if !run.cmd.AllOccurrences {
		found = h.Earliest(found)
	}
	for i := range found {
		found[i].Repository = repoName(r)
		found[i].Link = fileLink(run.client.Endpoint, r, found[i].Commit, found[i].File, found[i].Line)
	}
	log.WithFields(logrus.Fields{"fetch_ms": fetched.Milliseconds(), "scan_ms": (time.Since(start) - fetched).Milliseconds(),
		"findings": len(found)}).Debug("repository scanned")
	if incomplete != nil {
		heads = nil // not all read: scan it all again next time
	}
	run.done(r, heads, found, lfs.list(repoName(r)))
	if incomplete != nil {
		run.mu.Lock()
		run.missing = append(run.missing, incomplete)
		run.mu.Unlock()
	}
	return nil
}

// done records a repository scanned: its findings, its LFS files, and its
// heads in the state file (nil heads: leave the state as it was).
func (run *hubRun) done(r hub.Repo, heads map[string]string, found []scan.Finding, lfs []report.NotScanned) {
	run.mu.Lock()
	run.found = append(run.found, found...)
	run.lfs = append(run.lfs, lfs...)
	run.complete++
	run.mu.Unlock()
	if heads != nil {
		if err := run.state.record(r, heads); err != nil {
			// The scan itself is complete; only the next run's saving is lost.
			run.progress.above(func() {
				run.d.log.WithFields(logrus.Fields{authlog.FieldEvent: "state"}).Warnf("failed to write --since-state: %v", err)
			})
		}
	}
}

// discussions scans the comments of r's discussions and pull requests.
// A discussion that cannot be read makes the repository not fully read.
func (run *hubRun) discussions(ctx context.Context, r hub.Repo) error {
	fail := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		run.mu.Lock()
		run.unread = append(run.unread, report.NotScanned{Path: repoName(r) + ": discussions", Reason: "not read: " + err.Error(), Incomplete: true})
		run.mu.Unlock()
		return nil
	}
	list, err := run.client.Discussions(ctx, r)
	if err != nil {
		return fail(err)
	}
	links := map[string]string{} // fragment path and line → link
	found, err := run.d.engine.ScanAll(ctx, 0, func(yield func(scan.Fragment) error) error {
		for _, d := range list {
			events, err := run.client.DiscussionEvents(ctx, r, d.Num)
			if err != nil {
				return err
			}
			kind := "discussion"
			if d.IsPullRequest {
				kind = "pull request"
			}
			base := run.client.Endpoint + hub.WebPath(r) + "/discussions/" + strconv.Itoa(d.Num)
			frags := []scan.Fragment{{Path: fmt.Sprintf("%s #%d title", kind, d.Num), Content: []byte(d.Title)}}
			links[frags[0].Path] = base
			for _, e := range events {
				if e.Type != "comment" {
					continue
				}
				f := scan.Fragment{Path: fmt.Sprintf("%s #%d comment %s", kind, d.Num, e.ID), Content: []byte(e.Data.Latest.Raw),
					Author: e.Author.Name, Date: e.CreatedAt}
				links[f.Path] = base + "#" + e.ID
				frags = append(frags, f)
			}
			for _, f := range frags {
				if err := yield(f); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	for i := range found {
		found[i].Repository = repoName(r)
		found[i].Link = links[found[i].File]
	}
	run.mu.Lock()
	run.found = append(run.found, found...)
	run.mu.Unlock()
	return nil
}

// fileLink is the file at the commit on the Hub, at the line.
func fileLink(endpoint string, r hub.Repo, commit, path string, line int) string {
	return endpoint + hub.WebPath(r) + "/blob/" + commit + "/" + (&url.URL{Path: path}).EscapedPath() + "#L" + strconv.Itoa(line)
}

// finish filters, reports and decides, as scanAndReport does for one source.
func (run *hubRun) finish(bl *scan.Baseline, total int) error {
	d := run.d
	found := bl.Filter(run.found)
	sortFindings(found) // the order secretscan merge gives too
	if d.cli.Verify {
		verify.New(d.log, d.cli.Timeout, clikit.UserAgent(name)).Verify(d.ctx, found)
	}
	ns, incomplete := d.notScanned()
	slices.SortFunc(run.unread, func(a, b report.NotScanned) int { return strings.Compare(a.Path, b.Path) })
	ns = slices.Concat(run.unread, ns, run.lfs)
	sortNotScanned(ns)
	shard := ""
	if run.cmd.Shard != "" {
		k, n, _ := parseShard(run.cmd.Shard)
		shard = fmt.Sprintf("%d/%d", k, n)
	}
	if err := d.writeReport(found, report.Options{NotScanned: ns, Shard: shard}); err != nil {
		return err
	}
	for _, f := range found {
		d.log.WithFields(logrus.Fields{
			authlog.FieldEvent: "finding", authlog.FieldProvider: f.Provider,
			authlog.FieldSource: fmt.Sprintf("%s: %s:%d", f.Repository, f.File, f.Line), authlog.FieldFingerprint: f.Fingerprint,
			authlog.FieldMasked: f.Masked, "rule": f.RuleID, "commit": f.Commit,
		}).Info("secret found")
	}
	d.log.WithFields(logrus.Fields{authlog.FieldEvent: "scan", "repositories": total, "excluded": run.excluded, "not_read": len(run.unread),
		"findings": len(found), "lfs_pointers": len(run.lfs)}).Info("scan complete")
	notRead := ""
	if n := len(run.unread); n > 0 {
		notRead = fmt.Sprintf("%s of %d not read (%s)", repositories(n), total, run.unread[0].Path)
	}
	// Informational findings (public-by-design keys) are reported but
	// never fail the scan.
	if failing := scan.Failing(found); failing > 0 {
		repos := map[string]bool{}
		for _, f := range found {
			if !f.Informational {
				repos[f.Repository] = true
			}
		}
		msg := fmt.Sprintf("%s found in %s", plural(failing, "secret"), repositories(len(repos)))
		if notRead != "" {
			msg += "; " + notRead
		}
		return clikit.Errorf(clikit.ExitPolicy, "remove them from the files and the history (or the pull request), and rotate them: anyone who could read the repository may have them", "%s", msg)
	}
	if notRead != "" {
		return clikit.Errorf(clikit.ExitIncomplete, "set HF_TOKEN to a token that may read them (a fine-grained token needs repo.content.read on their namespace), or check the names", "scan incomplete: %s", notRead)
	}
	if len(run.missing) > 0 {
		return clikit.Errorf(clikit.ExitIncomplete, "run it again; if it persists, the Hub served an incomplete history", "scan incomplete: %w", run.missing[0])
	}
	return d.incompleteError(incomplete)
}

// lfsPointers notes the LFS pointers among the lines a history added: the
// files whose content the Hub keeps out of git and the scan never sees.
type lfsPointers struct {
	mu   sync.Mutex
	seen map[string]report.NotScanned // by path and oid
}

// note records f when it is (the added part of) an LFS pointer: nothing
// but "version …", "oid sha256:…", "size N" and "ext-…" lines.
func (l *lfsPointers) note(f scan.Fragment) {
	var oid string
	size := int64(-1)
	for line := range strings.SplitSeq(strings.TrimSpace(string(f.Content)), "\n") {
		key, val, _ := strings.Cut(line, " ")
		switch {
		case key == "version" && strings.HasPrefix(val, "https://git-lfs.github.com/spec/"):
		case key == "oid" && strings.HasPrefix(val, "sha256:"):
			oid = val
		case key == "size":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return
			}
			size = n
		case strings.HasPrefix(key, "ext-"):
		default:
			return
		}
	}
	if oid == "" || size < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]report.NotScanned{}
	}
	l.seen[f.Path+"\x00"+oid] = report.NotScanned{Path: f.Path, Commit: shortCommit(f.Commit),
		Reason: "LFS object not downloaded: " + bytesize.Size(size).String(), Size: size}
}

// list is the pointers noted, named within the repository.
func (l *lfsPointers) list(repo string) []report.NotScanned {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []report.NotScanned
	for _, n := range l.seen {
		n.Path = repo + ": " + n.Path
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b report.NotScanned) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Commit, b.Commit))
	})
	return out
}

func repositories(n int) string {
	if n == 1 {
		return "1 repository"
	}
	return fmt.Sprintf("%d repositories", n)
}

func shortCommit(c string) string { return c[:min(12, len(c))] }
