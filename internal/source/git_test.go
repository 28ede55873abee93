package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Fake, format-correct tokens (never real ones).
const (
	hfToken  = "hf_bPlNFGdSC2wd8f2QnFhk5A84JJjKWZdKH9"
	hfToken2 = "hf_Zq8LmN3vR7tY2wX5cB9dF4gH6jK1pQsT0u"
	hfToken3 = "hf_Kd7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0LzXc"
)

// gitRepo is a scratch repository driven by the real git.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"), 0o644)
	g := &gitRepo{t: t, dir: t.TempDir(), env: append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "XDG_CONFIG_HOME="+home)}
	g.git("init", "-q")
	return g
}

func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	return g.gitIn(g.dir, args...)
}

func (g *gitRepo) gitIn(dir string, args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = g.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// gitMay runs git and ignores a failure (a merge that conflicts).
func (g *gitRepo) gitMay(args ...string) {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = g.env
	cmd.Run()
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
