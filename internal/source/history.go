package source

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// History is every commit reachable from some revisions and not from
// others: a whole history (`secretscan history`) or a range (`secretscan
// range`). Each commit yields the lines it added relative to its first
// parent; a merge commit yields only the lines no parent had, which is what
// its conflict resolution introduced (other scanners skip merges, and with
// them whatever was typed while resolving). Commits are diffed by several
// workers, which then read the changed paths' versions path by path.
type History struct {
	// Dir is any directory inside the repository (default: the current one).
	Dir string
	// Include are the revisions whose history is scanned (default HEAD).
	Include []string
	// All adds every reference (branches, tags, remotes, stash) and HEAD.
	All bool
	// Exclude are revisions whose history is left out (A of A..B).
	Exclude []string
	// NotPushed scans local branches and HEAD, leaving out everything on
	// a remote-tracking ref.
	NotPushed bool
	// Workers diff commits in parallel (0: one per CPU).
	Workers int
	// Warn hears about what could not be read; the rest is still scanned.
	Warn func(msg string)
	// AllowMissing accepts objects missing from the repository: they are
	// named through Warn and Fragments succeeds. Without it Fragments
	// scans everything it can read, then fails with an *IncompleteError.
	AllowMissing bool
	// Progress, when set, is called after each commit with the count done
	// and the total, which is 0 until the walk has found every commit. A
	// commit is done when every path it changed is read: those that
	// changed none as soon as they are diffed, the others in the second
	// phase (see readPairs), in no particular order.
	Progress func(done, total int)
	Options

	hist *gitrepo.History
	git  *gitHistory // instead of hist when git's plumbing read the repository

	mu     sync.Mutex
	unread []string // what was missing, for IncompleteError
	reused int      // blob buffers recycled, for the tests
}

// IncompleteError is a history scan that could not read every object it
// needed (unless History.AllowMissing). It wraps gitrepo.ErrMissingObject.
type IncompleteError struct {
	// Unread names each object not read and what it held.
	Unread []string
}

func (e *IncompleteError) Error() string {
	const shown = 3
	msg := fmt.Sprintf("%d missing %s not read: %s", len(e.Unread), plural(len(e.Unread), "object"), strings.Join(e.Unread[:min(shown, len(e.Unread))], "; "))
	if len(e.Unread) > shown {
		msg += fmt.Sprintf("; and %d more", len(e.Unread)-shown)
	}
	return msg
}

func (e *IncompleteError) Unwrap() error { return gitrepo.ErrMissingObject }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Fragments yields one fragment per run of added lines of each commit,
// one at a time.
func (s *History) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	var mu sync.Mutex
	return s.fragments(ctx, false, func(f scan.Fragment) error {
		mu.Lock()
		defer mu.Unlock()
		return yield(f)
	})
}

// FragmentsConcurrent is Fragments calling yield from its workers at once,
// as Concurrent says: each fragment is scanned by the worker that read its
// commit, and the buffers of the versions read are recycled
// (gitrepo.Cache.Recycle).
func (s *History) FragmentsConcurrent(ctx context.Context, yield func(scan.Fragment) error) error {
	return s.fragments(ctx, true, yield)
}

// fragments reads the history, recycling the versions' buffers when
// yield keeps no Content.
func (s *History) fragments(ctx context.Context, recycle bool, yield func(scan.Fragment) error) error {
	// The walk reads each commit once: caching objects would only hold
	// memory.
	r, err := gitrepo.Open(dirOr(s.Dir), gitrepo.Options{ObjectCache: 1 << 20, TreeCache: 1 << 20})
	if gitcli.UseGit(err) {
		return s.fragmentsViaGit(ctx, yield)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	include, exclude, err := s.revisions(r)
	if err != nil {
		return err
	}
	workers := max(1, cmp.Or(s.Workers, runtime.GOMAXPROCS(0)))
	defer tuneGC()()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		firstErr error
		errOnce  sync.Once
		done     atomic.Int64
		seen     atomic.Int64
		walked   atomic.Bool
		wg       sync.WaitGroup
		inflight sync.WaitGroup // tasks sent and not yet done
		pend     pendingPairs
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	progress := func() {
		if n := done.Add(1); s.Progress != nil {
			total := 0
			if walked.Load() {
				total = int(seen.Load())
			}
			s.Progress(int(n), total)
		}
	}
	root := r.Root
	if root == "" {
		root = r.GitDir
	}
	// A scan has two phases (see readPairs): the workers diff the trees of
	// the commits the walk finds, then read the pairs of versions those
	// diffs found, path by path. Each phase reads through caches of its
	// own, shared by the workers (what one rebuilt is often the delta base
	// the next needs): trees, by id and as pack objects, 4 MiB each a
	// worker (a directory's versions follow the walk, so its delta chain
	// does too); blobs, 16 MiB, and more for a large pack, up to 32 MiB. Read
	// path by path, a file's versions follow one another, and 16 MiB did
	// what 32 did (BENCHMARKS.md).
	trees := gitrepo.NewTreeCache(int64(workers) * 4 << 20)
	treeObjects := gitrepo.NewCache(int64(workers) * 4 << 20)
	blobs := gitrepo.NewCache(blobCache(r.PackBytes()))
	if recycle {
		blobs.Recycle()
		defer func() { s.reused = blobs.Reused() }()
	}
	tasks := make(chan historyTask, 8)
	for range workers {
		differ, err := gitrepo.Open(root, gitrepo.Options{Shared: treeObjects, SharedTrees: trees})
		if err != nil {
			fail(err)
			break
		}
		reader, err := gitrepo.Open(root, gitrepo.Options{Shared: blobs, SharedTrees: trees})
		if err != nil {
			differ.Close()
			fail(err)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer differ.Close()
			defer reader.Close()
			for t := range tasks {
				if ctx.Err() == nil {
					var err error
					if t.pairs != nil {
						err = s.readPairs(ctx, reader, t.pairs, yield, progress)
					} else {
						err = s.diffAll(ctx, differ, t, &pend, progress)
					}
					if err != nil {
						fail(err)
					}
				}
				inflight.Done()
			}
		}()
	}
	submit := func(t historyTask) error {
		inflight.Add(1)
		select {
		case tasks <- t:
			return nil
		case <-ctx.Done():
			inflight.Done()
			return ctx.Err()
		}
	}
	// The walk hands commits out in runs of consecutive ones, mostly parent
	// and child, and the workers diff their trees while it goes on. The
	// lines of the paths they change are read afterwards, path by path:
	// see readPairs.
	const batch = 32
	var run []*gitrepo.Commit
	next := 0 // the walk position of run[0]
	send := func() error {
		if len(run) == 0 {
			return nil
		}
		t := historyTask{commits: run, first: next}
		next += len(run)
		run = nil
		return submit(t)
	}
	// readAll reads every pair pending, once the commits that named them
	// are diffed: all of them at the end of the walk, or when maxPending
	// have gathered (the walk waits meanwhile).
	readAll := func() error {
		if err := send(); err != nil {
			return err
		}
		inflight.Wait()
		// The trees the diffs read are not needed to read the pairs.
		treeObjects.Clear()
		trees.Clear()
		for _, chunk := range pend.chunks() {
			if err := submit(historyTask{pairs: chunk}); err != nil {
				return err
			}
		}
		inflight.Wait()
		return ctx.Err()
	}
	hist, err := r.Commits(include, exclude, func(c *gitrepo.Commit) error {
		if r.Shallow(c.Hash) {
			return fmt.Errorf("history ends at %s, where this shallow clone was cut: %w", c.Hash, gitrepo.ErrShallow)
		}
		seen.Add(1)
		if run = append(run, c); len(run) < batch {
			return nil
		}
		if err := send(); err != nil {
			return err
		}
		if pend.len() >= maxPending {
			return readAll()
		}
		return nil
	})
	walked.Store(true)
	if err == nil {
		err = readAll()
	}
	close(tasks)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err != nil {
		return err
	}
	s.hist = hist
	for _, m := range hist.Missing {
		s.missing("", "", m, m.Error())
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(s.unread) > 0 && !s.AllowMissing {
		return &IncompleteError{Unread: s.unread}
	}
	return nil
}

// historyGCPercent is the garbage collector's target during a history scan
// (GOGC, when set, wins). The heap is mostly the object cache, long-lived
// and free of pointers, so collecting at 1.5x the live heap instead of 2x
// costs little CPU and keeps peak memory near git's.
const historyGCPercent = 50

// gcTuned counts the history scans running, so that scans side by side
// (secretscan hub) set the target once and the last one restores it.
var gcTuned struct {
	sync.Mutex
	n, prev int
}

// tuneGC sets historyGCPercent until the returned func is called.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcTuned.Lock()
	defer gcTuned.Unlock()
	if gcTuned.n++; gcTuned.n == 1 {
		gcTuned.prev = debug.SetGCPercent(historyGCPercent)
	}
	return func() {
		gcTuned.Lock()
		defer gcTuned.Unlock()
		if gcTuned.n--; gcTuned.n == 0 {
			debug.SetGCPercent(gcTuned.prev)
		}
	}
}

// historyTask is a worker's next job: a run of commits to diff (phase
// one), or a chunk of pairs to read, in path order (phase two).
type historyTask struct {
	commits []*gitrepo.Commit
	first   int // the walk position of commits[0]
	pairs   []pendingPair
}

// diffAll diffs a run of commits, adding the pairs they change to pend.
func (s *History) diffAll(ctx context.Context, r *gitrepo.Repo, t historyTask, pend *pendingPairs, progress func()) error {
	var mine []pendingPair
	for i, c := range t.commits {
		if err := ctx.Err(); err != nil {
			return err
		}
		before := len(mine)
		var err error
		if mine, err = s.diff(r, c, t.first+i, mine); err != nil {
			return err
		}
		if len(mine) == before {
			progress() // nothing to read
		}
	}
	pend.add(mine)
	return nil
}

// diff appends the pairs commit c (at walk position pos) changes to
// pending.
func (s *History) diff(r *gitrepo.Repo, c *gitrepo.Commit, pos int, pending []pendingPair) ([]pendingPair, error) {
	var trees []gitrepo.Hash
	for i, p := range c.Parents {
		if i < len(c.ParentTrees) && !c.ParentTrees[i].IsZero() {
			trees = append(trees, c.ParentTrees[i]) // the walk read it
			continue
		}
		pc, err := r.Commit(p)
		if err != nil {
			if !isMissing(err) {
				return pending, fmt.Errorf("commit %s: parent %s: %w", c.Hash, p, err)
			}
			s.missing("", c.Hash.String(), err, fmt.Sprintf("commit %s: parent %s could not be read, the commit is scanned as if it had none: %v", c.Hash, p, err))
			continue
		}
		trees = append(trees, pc.Tree)
	}
	var first gitrepo.Hash
	if len(trees) > 0 {
		first, trees = trees[0], trees[1:]
	}
	var changes []gitrepo.Change
	if err := r.DiffTree(first, c.Tree, func(ch gitrepo.Change) error {
		changes = append(changes, ch)
		return nil
	}); err != nil {
		if isMissing(err) {
			s.missing("", c.Hash.String(), err, fmt.Sprintf("commit %s: not scanned: %v", c.Hash, err))
			return pending, nil
		}
		return pending, err
	}
	changes = s.exclude(changes)
	// A partial clone fetches the blobs of one commit in one round trip.
	var blobs []gitrepo.Hash
	for _, ch := range changes {
		for _, e := range []gitrepo.Entry{ch.From, ch.To} {
			if e.IsBlob() {
				blobs = append(blobs, e.Hash)
			}
		}
	}
	r.Prefetch(blobs)
	pairs := r.Pairs(changes, gitrepo.AddedOptions{MaxSize: s.maxSize()})
	if len(pairs) == 0 {
		return pending, nil
	}
	w := &commitWork{commit: c.Hash.String(), author: c.Author, email: c.Email, when: c.When, others: trees, pos: int32(pos)}
	w.left.Store(int32(len(pairs)))
	for _, p := range pairs {
		pending = append(pending, pendingPair{pair: p, w: w})
	}
	return pending, nil
}

// readPairs yields the lines each pair added. A chunk holds the pairs of
// a few paths, each path's from the newest commit down: the version one
// pair reads as its earlier one is, most often, the next pair's new one,
// and the delta base of the one after. Read commit by commit instead, a
// file's versions were read thousands of commits apart, and the cache had
// let go of them (and of the chain's root) in between.
func (s *History) readPairs(ctx context.Context, r *gitrepo.Repo, pairs []pendingPair, yield func(scan.Fragment) error, progress func()) error {
	for _, p := range pairs {
		if err := ctx.Err(); err != nil {
			return err
		}
		w, commit := p.w, p.w.commit
		o := gitrepo.AddedOptions{MaxSize: s.maxSize(), Others: w.others}
		r.Hold()
		err := r.Emit(p.pair, o, func(a gitrepo.Added) error {
			switch {
			case a.Err != nil:
				if isMissing(a.Err) {
					s.missing(a.Path, commit, a.Err, fmt.Sprintf("commit %s: %s not scanned: %v", commit, a.Path, a.Err))
					return nil
				}
				return fmt.Errorf("commit %s: %s: %w", commit, a.Path, a.Err)
			case a.BaseErr != nil:
				s.missing(a.Path, commit, a.BaseErr, fmt.Sprintf("commit %s: %s: its earlier version could not be read, every line counts as added here: %v", commit, a.Path, a.BaseErr))
			case a.Skip != "":
				s.skip(a.Path+" in "+commit[:12], a.Skip)
				return nil
			}
			for _, h := range a.Hunks {
				err := yield(scan.Fragment{Path: a.Path, Content: h.Content, StartLine: h.Line,
					Commit: commit, Author: w.author, Email: w.email, Date: w.when})
				if err != nil {
					return err
				}
			}
			return nil
		})
		r.Release() // every fragment of the pair is scanned
		if err != nil {
			return err
		}
		if w.left.Add(-1) == 0 {
			progress()
		}
	}
	return nil
}

// commitWork is what the pairs of one commit share: what its fragments
// carry, not the whole commit.
type commitWork struct {
	commit, author, email string
	when                  time.Time
	others                []gitrepo.Hash // a merge's other parents' trees
	pos                   int32          // the commit's walk position: newest first
	left                  atomic.Int32   // pairs not read yet: the commit is done at 0
}

// pendingPair is a pair diffed and not yet read.
type pendingPair struct {
	pair gitrepo.Pair
	w    *commitWork
}

// maxPending bounds the pairs held between the two phases (about 100
// bytes each with their commit's share): a longer history is read in
// windows of that many, and a file's versions are read again across a
// window's edge only. Windows of 64k were as fast as 128k on deep-20k and
// 6 % faster on gen-50k (the pending pairs are scanned by every garbage
// collection), with 5 MB less at peak. A variable for the tests.
var maxPending = 1 << 16

// blobCache is the budget of the blob cache for a pack of n bytes: half
// of it, from 16 to 32 MiB. A variable for the tests.
var blobCache = func(n int64) int64 { return min(max(n/2, 16<<20), 32<<20) }

// pendingPairs gathers what the workers' diffs found. A path is held once
// however many commits changed it.
type pendingPairs struct {
	mu    sync.Mutex
	list  []pendingPair
	paths map[string]string
}

func (p *pendingPairs) add(ps []pendingPair) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paths == nil {
		p.paths = map[string]string{}
	}
	for _, pp := range ps {
		if path, ok := p.paths[pp.pair.Path]; ok {
			pp.pair.Path = path
		} else {
			p.paths[pp.pair.Path] = pp.pair.Path
		}
		p.list = append(p.list, pp)
	}
}

func (p *pendingPairs) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.list)
}

// chunks takes every pair pending, in path order and newest first within
// a path, cut into the chunks workers take one at a time: a path's pairs
// stay together up to chunkPairs (a file edited in thousands of commits is
// split, so that the workers share it).
func (p *pendingPairs) chunks() [][]pendingPair {
	p.mu.Lock()
	list := p.list
	p.list, p.paths = nil, nil
	p.mu.Unlock()
	slices.SortFunc(list, func(a, b pendingPair) int {
		return cmp.Or(strings.Compare(a.pair.Path, b.pair.Path), cmp.Compare(a.w.pos, b.w.pos))
	})
	const chunkPairs = 64
	var out [][]pendingPair
	start := 0
	for i := 1; i <= len(list); i++ {
		if i == len(list) || i-start >= chunkPairs || i-start >= chunkPairs/2 && list[i].pair.Path != list[i-1].pair.Path {
			out = append(out, list[start:i])
			start = i
		}
	}
	return out
}

func isMissing(err error) bool { return errors.Is(err, gitrepo.ErrMissingObject) }

// missing records an object that could not be read, says so, and lists
// it with what is not scanned (path, when a file's object, in commit): the
// report says what was not read, accepted (--allow-missing) or not.
func (s *History) missing(path, commit string, err error, msg string) {
	s.mu.Lock()
	s.unread = append(s.unread, msg)
	s.mu.Unlock()
	s.warn(msg)
	label := cmp.Or(path, "history")
	if len(commit) >= 12 {
		label += " in " + commit[:12]
	}
	reason := reasonMissingObject
	if s.AllowMissing {
		reason = ReasonAcceptedObject
	}
	s.skip(label, reason+err.Error())
}

func (s *History) warn(msg string) {
	if s.Warn != nil {
		s.Warn(msg)
	}
}

// revisions resolves what to include and exclude.
func (s *History) revisions(r *gitrepo.Repo) (include, exclude []gitrepo.Hash, err error) {
	resolve := func(revs []string) ([]gitrepo.Hash, error) {
		var hs []gitrepo.Hash
		for _, rev := range revs {
			h, err := r.Resolve(rev)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", err, ErrBadRevision)
			}
			hs = append(hs, h)
		}
		return hs, nil
	}
	if include, err = resolve(s.Include); err != nil {
		return nil, nil, err
	}
	if exclude, err = resolve(s.Exclude); err != nil {
		return nil, nil, err
	}
	switch {
	case s.All:
		all, err := r.Refs("refs/")
		if err != nil {
			return nil, nil, err
		}
		include = append(include, all...)
	case s.NotPushed:
		heads, err := r.Refs("refs/heads/")
		if err != nil {
			return nil, nil, err
		}
		include = append(include, heads...)
		if h, ok, _ := r.Head(); ok {
			include = append(include, h)
		}
		remotes, err := r.Refs("refs/remotes/")
		if err != nil {
			return nil, nil, err
		}
		exclude = append(exclude, remotes...)
	case len(s.Include) == 0:
		// An unborn HEAD is refused, as `git log` refuses it: exiting 0
		// would claim a history was read.
		h, err := r.HeadCommit()
		if err != nil {
			return nil, nil, err
		}
		include = append(include, h)
	}
	return include, exclude, nil
}

// ErrBadRevision is a revision that names no commit.
var ErrBadRevision = errors.New("bad revision")

// Commits is how many commits the last Fragments call walked.
func (s *History) Commits() int {
	if s.git != nil {
		return len(s.git.ranks)
	}
	if s.hist == nil {
		return 0
	}
	return len(s.hist.Order)
}

// Earliest keeps, for each secret (rule, fingerprint, file), the finding of
// the earliest commit that introduced it: the same secret re-added, cherry-
// picked or introduced on two branches is reported once. Parents always
// count as earlier than their children; otherwise the earlier committer
// date wins.
func (s *History) Earliest(fs []scan.Finding) []scan.Finding {
	if s.hist == nil && s.git == nil {
		return fs
	}
	type key struct{ rule, fp, file string }
	best := map[key]int{}
	var out []scan.Finding
	for _, f := range fs {
		k := key{f.RuleID, f.Fingerprint, f.File}
		i, ok := best[k]
		if !ok {
			best[k] = len(out)
			out = append(out, f)
			continue
		}
		if s.rank(f.Commit) < s.rank(out[i].Commit) {
			out[i] = f
		}
	}
	return out
}

func (s *History) rank(commit string) int {
	if s.git != nil {
		return s.git.rank(commit)
	}
	if h, ok := gitrepo.ParseHash(commit); ok {
		if r, ok := s.hist.Rank[h]; ok {
			return int(r)
		}
	}
	return len(s.hist.Order)
}
