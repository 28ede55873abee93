package source

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// Fake, format-correct tokens (never real ones).
const (
	hfToken  = "hf_bPlNFGdSC2wd8f2QnFhk5A84JJjKWZdKH9"
	hfToken2 = "hf_Zq8LmN3vR7tY2wX5cB9dF4gH6jK1pQsT0u"
	hfToken3 = "hf_Kd7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0LzXc"
)

// gitRepo is a scratch repository driven by the real git, hermetically.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string // added to every git command (dates)
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	gittest.Require(t)
	g := &gitRepo{t: t, dir: t.TempDir()}
	g.git("init", "-q")
	return g
}

func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	return g.gitIn(g.dir, args...)
}

func (g *gitRepo) gitIn(dir string, args ...string) string {
	g.t.Helper()
	cmd := gittest.Command(g.t, dir, args...)
	cmd.Env = append(cmd.Env, g.env...)
	return strings.TrimSpace(gittest.Output(g.t, cmd))
}

// gitMay runs git and ignores a failure (a merge that conflicts).
func (g *gitRepo) gitMay(args ...string) {
	gittest.Command(g.t, g.dir, args...).Run()
}

func (g *gitRepo) write(name, content string) {
	g.t.Helper()
	p := filepath.Join(g.dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

func (g *gitRepo) commit(msg string) string {
	g.t.Helper()
	g.git("add", "-A")
	g.git("commit", "-q", "--allow-empty", "-m", msg)
	return g.git("rev-parse", "HEAD")
}

func newEngine(t *testing.T) *scan.Engine {
	t.Helper()
	e, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// found scans src and returns "path:line secret-suffix" per finding.
func found(t *testing.T, src Source) []string {
	t.Helper()
	fs, err := newEngine(t).ScanAll(context.Background(), 2, func(y func(scan.Fragment) error) error {
		return src.Fragments(context.Background(), y)
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.File+":"+strconv.Itoa(f.Line)+" "+f.Secret[len(f.Secret)-4:])
	}
	slices.Sort(out)
	return out
}

func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}
