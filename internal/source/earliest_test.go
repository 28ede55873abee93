package source

import (
	"strconv"
	"testing"
)

// commitAt commits everything with author and committer date at seconds.
func commitAt(g *gitRepo, msg string, seconds int) string {
	g.t.Helper()
	d := strconv.Itoa(seconds) + " +0000"
	env := g.env
	g.env = append(env, "GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d)
	defer func() { g.env = env }()
	return g.commit(msg)
}

// Two unrelated branches add the same token to the same file: the earlier
// commit is named whichever branch is longer (the README's rule: parents
// before children, otherwise the earlier committer date wins; ranking by
// depth first named a recent commit near a root over an old deep one),
// and a re-add later on the same line of descent never wins over its
// ancestor, even when its clock ran behind.
func TestEarliestAcrossUnrelatedBranches(t *testing.T) {
	const day = 86400
	base := 1_700_000_000
	for _, oldIsLong := range []bool{true, false} {
		t.Run("old branch long "+strconv.FormatBool(oldIsLong), func(t *testing.T) {
			g := newGitRepo(t)
			branch := func(name string, depth, start int) {
				g.git("checkout", "-q", "--orphan", name)
				g.git("rm", "-q", "-rf", "--ignore-unmatch", ".")
				for i := range depth {
					g.write(name+".txt", strconv.Itoa(i)+"\n")
					commitAt(g, name+" "+strconv.Itoa(i), start+i*day)
				}
				g.write("train.py", "t = \""+hfToken+"\"\n")
				commitAt(g, "add on "+name, start+depth*day)
			}
			long, short := 9, 1
			if !oldIsLong {
				long, short = short, long
			}
			branch("old", long, base)
			branch("recent", short, base+100*day)
			g.write("train.py", "x = 1\n")
			commitAt(g, "remove on recent", base+200*day)
			g.write("train.py", "t = \""+hfToken+"\"\n")
			commitAt(g, "skewed re-add on recent", base-day) // dated before everything

			want(t, scanHistory(t, g, &History{All: true}), "train.py:1 dKH9 add on old")
			// On the recent branch alone, its first add is named, not the
			// re-add dated earlier.
			want(t, scanHistory(t, g, &History{Include: []string{"recent"}}), "train.py:1 dKH9 add on recent")
		})
	}
}
