package gitrepo

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// gitRepo makes a repository driven by the real git command.
type gitRepo struct {
	t   *testing.T
	dir string
	n   int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	gittest.Require(t)
	g := &gitRepo{t: t, dir: t.TempDir()}
	g.git("init", "-q", "-b", "main")
	return g
}

func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	return strings.TrimSpace(gittest.Run(g.t, g.dir, args...))
}

// commit makes a commit with the given committer date (seconds since the epoch).
func (g *gitRepo) commit(date int) string {
	g.t.Helper()
	g.n++
	name := "f" + strconv.Itoa(g.n)
	if err := os.WriteFile(filepath.Join(g.dir, name), []byte(name), 0o644); err != nil {
		g.t.Fatal(err)
	}
	g.git("add", name)
	d := strconv.Itoa(date) + " +0000"
	cmd := gittest.Command(g.t, g.dir, "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", name, "--date", d)
	cmd.Env = append(cmd.Env, "GIT_COMMITTER_DATE="+d)
	gittest.Output(g.t, cmd)
	return g.git("rev-parse", "HEAD")
}

func (g *gitRepo) outgoing(include, exclude []string) []string {
	g.t.Helper()
	r, err := Open(g.dir, Options{})
	if err != nil {
		g.t.Fatal(err)
	}
	defer r.Close()
	hs := func(ss []string) []Hash {
		var out []Hash
		for _, s := range ss {
			h, ok := ParseHash(s)
			if !ok {
				g.t.Fatalf("bad hash %q", s)
			}
			out = append(out, h)
		}
		return out
	}
	hist, err := r.Commits(hs(include), hs(exclude), nil)
	if err != nil {
		g.t.Fatal(err)
	}
	var out []string
	for _, h := range hist.Order {
		out = append(out, h.String())
	}
	slices.Sort(out)
	return out
}

// revList is what git itself says is outgoing.
func (g *gitRepo) revList(include, exclude []string) []string {
	args := append([]string{"rev-list"}, include...)
	for _, e := range exclude {
		args = append(args, "^"+e)
	}
	out := strings.Fields(g.git(args...))
	slices.Sort(out)
	return out
}

func TestCommitsOfARangeMatchRevList(t *testing.T) {
	g := newGitRepo(t)
	base := 1_700_000_000
	c1 := g.commit(base)
	c2 := g.commit(base + 10)
	g.git("branch", "side")
	c3 := g.commit(base + 20)
	g.git("checkout", "-q", "side")
	s1 := g.commit(base + 15)
	// A commit dated before its parent (clock skew) must not confuse the walk.
	s2 := g.commit(base + 5)
	g.git("checkout", "-q", "main")
	g.git("-c", "core.hooksPath=/dev/null", "merge", "-q", "--no-ff", "-m", "merge", "side")
	m := g.git("rev-parse", "HEAD")
	c4 := g.commit(base + 40)

	cases := []struct{ include, exclude []string }{
		{[]string{c4}, []string{c2}},                      // everything after the remote's main
		{[]string{c4}, []string{c3}},                      // the side branch and the merge
		{[]string{c4}, []string{s2}},                      // the remote has the side branch
		{[]string{c4}, []string{c3, s1}},                  // several remote tips
		{[]string{c4}, nil},                               // a brand-new repository
		{[]string{s2}, []string{m}},                       // nothing new
		{[]string{c4, s2}, []string{c1}},                  // several refs at once
		{[]string{c4}, []string{strings.Repeat("e", 40)}}, // a remote sha we never fetched
	}
	for i, c := range cases {
		got := g.outgoing(c.include, c.exclude)
		want := g.revList(c.include, filterExisting(g, c.exclude))
		if !slices.Equal(got, want) {
			t.Errorf("case %d: Commits = %v\nrev-list = %v", i, got, want)
		}
	}
}

func filterExisting(g *gitRepo, hs []string) []string {
	var out []string
	for _, h := range hs {
		if gittest.Command(g.t, g.dir, "cat-file", "-e", h).Run() == nil {
			out = append(out, h)
		}
	}
	return out
}
