package gitrepo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// base is a committer date git parses as seconds since the epoch.
const base = 1_700_000_000

// historyOrder opens g and returns Commits' order of everything --all
// reaches, as hashes.
func historyOrder(t *testing.T, g *gitRepo) []string {
	t.Helper()
	r, err := Open(g.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	all, err := r.Refs("refs/")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := r.Commits(all, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, h := range hist.Order {
		if hist.Rank[h] != int32(i) {
			t.Errorf("rank of %s = %d, position %d", h, hist.Rank[h], i)
		}
		out = append(out, h.String())
	}
	return out
}

// An old commit on a short unrelated branch ranks before the recent
// commits of a long one, as `git rev-list --date-order --reverse` has it
// (ranking by depth first named the recent one).
func TestCommitsOrderUnrelatedBranchesByDate(t *testing.T) {
	g := newGitRepo(t)
	g.commit(base + 1000) // main: old and short
	old := g.commit(base + 2000)
	g.git("checkout", "-q", "--orphan", "long")
	g.git("rm", "-q", "-rf", ".")
	for i := range 6 {
		g.commit(base + 5000 + 100*i)
	}
	g.git("checkout", "-q", "-b", "side", "long~3")
	side := g.commit(base + 5250)
	g.git("checkout", "-q", "long")
	t.Setenv("GIT_COMMITTER_DATE", strconv.Itoa(base+6000)+" +0000")
	t.Setenv("GIT_AUTHOR_DATE", strconv.Itoa(base+6000)+" +0000")
	g.git("merge", "-q", "--no-ff", "-m", "merge", "side")
	g.git("checkout", "-q", "main")
	g.commit(base + 3000) // main goes on, still older than all of long

	got := historyOrder(t, g)
	want := strings.Fields(g.git("rev-list", "--date-order", "--reverse", "--all"))
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %q\nwant %q (git rev-list --date-order --reverse --all)", got, want)
	}
	if slices.Index(got, old) > slices.Index(got, side) {
		t.Errorf("old main commit ranks after the recent side commit")
	}
}

// A child dated before its parent still comes after it, and the skewed
// child does not pull its unrelated elders after it.
func TestCommitsOrderClockSkew(t *testing.T) {
	g := newGitRepo(t)
	root := g.commit(base + 5000)
	skewed := g.commit(base + 1000) // the committer's clock was behind
	child := g.commit(base + 1500)
	g.git("checkout", "-q", "--orphan", "other")
	g.git("rm", "-q", "-rf", ".")
	o1 := g.commit(base + 3000)
	o2 := g.commit(base + 6000)

	got := historyOrder(t, g)
	// Ready at first: root (5000) and o1 (3000): o1; then root; then its
	// skewed child (1000) before o2 (6000), then child (1500), then o2.
	want := []string{o1, root, skewed, child, o2}
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
	assertTopological(t, g, got)
}

// assertTopological checks every parent git lists comes before its child.
func assertTopological(t *testing.T, g *gitRepo, order []string) {
	t.Helper()
	pos := map[string]int{}
	for i, h := range order {
		pos[h] = i
	}
	for _, line := range strings.Split(g.git("rev-list", "--parents", "--all"), "\n") {
		f := strings.Fields(line)
		for _, p := range f[1:] {
			if pos[p] >= pos[f[0]] {
				t.Errorf("parent %s placed at %d, after its child %s at %d", p, pos[p], f[0], pos[f[0]])
			}
		}
	}
}

// oldestFirst against the rule it implements, checked step by step on
// random graphs with skewed and equal dates: each commit placed has all
// its parents placed, and no other commit that was ready then is earlier.
func TestOldestFirstRandomGraphs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		byHash := randomGraph(rnd, 1+rnd.IntN(60))
		order := oldestFirst(nodesOf(byHash))
		if len(order) != len(byHash) {
			t.Fatalf("round %d: %d of %d commits placed", round, len(order), len(byHash))
		}
		placed := map[Hash]bool{}
		isReady := func(c *Commit) bool {
			for _, p := range c.Parents {
				if _, in := byHash[p]; in && !placed[p] {
					return false
				}
			}
			return true
		}
		for i, h := range order {
			c := byHash[h]
			if placed[c.Hash] || !isReady(c) {
				t.Fatalf("round %d: %s placed twice or before a parent", round, c.Hash)
			}
			for _, o := range byHash {
				if !placed[o.Hash] && o != c && isReady(o) && earlier(o, c) {
					t.Fatalf("round %d: at %d, %s (%v) was ready and earlier than %s (%v)", round, i, o.Hash, o.Commit, c.Hash, c.Commit)
				}
			}
			placed[c.Hash] = true
		}
	}
}

func nodesOf(byHash map[Hash]*Commit) []node {
	var out []node
	for _, c := range byHash {
		out = append(out, nodeOf(c))
	}
	return out
}

func earlier(a, b *Commit) bool {
	if !a.Commit.Equal(b.Commit) {
		return a.Commit.Before(b.Commit)
	}
	return a.Hash.String() < b.Hash.String()
}

// randomGraph makes n commits, each with up to three earlier parents (one
// sometimes listed twice, one sometimes outside the set), dated at random
// so that children are often dated before parents, with equal dates common.
func randomGraph(rnd *rand.Rand, n int) map[Hash]*Commit {
	var hs []Hash
	byHash := map[Hash]*Commit{}
	for i := range n {
		var h Hash
		for j := range h {
			h[j] = byte(rnd.IntN(256))
		}
		c := &Commit{Hash: h, Commit: time.Unix(int64(rnd.IntN(20)), 0)}
		for range rnd.IntN(min(i, 3) + 1) {
			c.Parents = append(c.Parents, hs[rnd.IntN(i)])
		}
		if rnd.IntN(10) == 0 {
			c.Parents = append(c.Parents, Hash{0xff, byte(i)}) // outside the set
		}
		hs = append(hs, h)
		byHash[h] = c
	}
	return byHash
}

// BenchmarkOldestFirst orders a history the size the secretscan benchmarks
// use: 20,000 commits, a topic branch merged back every 10.
func BenchmarkOldestFirst(b *testing.B) {
	nodes := nodesOf(benchGraph(20000))
	for b.Loop() {
		oldestFirst(nodes)
	}
}

func benchGraph(n int) map[Hash]*Commit {
	byHash := map[Hash]*Commit{}
	var main, topic Hash
	for i := range n {
		var h Hash
		copy(h[:], fmt.Sprintf("%020d", i))
		c := &Commit{Hash: h, Commit: time.Unix(int64(base+i*60), 0)}
		byHash[h] = c
		switch {
		case i == 0:
			main = h
		case i%10 == 5: // a topic branch starts
			c.Parents = []Hash{main}
			topic = h
		case i%10 == 9: // and is merged back
			c.Parents = []Hash{main, topic}
			main = h
		default:
			c.Parents = []Hash{main}
			main = h
		}
	}
	return byHash
}
