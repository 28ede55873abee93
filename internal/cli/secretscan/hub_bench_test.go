package secretscan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/hubfetch"
)

// benchOrg serves an organisation of 20 generated repositories (50
// commits each, three text files of ~4 KiB changed per commit) from the
// fake Hub on loopback.
func benchOrg(b *testing.B) *hubtest.Hub {
	b.Helper()
	gittest.Require(b)
	h, err := hubtest.Start(hubtest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Close)
	for i := range 20 {
		dir := filepath.Join(b.TempDir(), "r.git")
		gittest.Run(b, "", "init", "-q", "--bare", dir)
		var stream bytes.Buffer
		for c := range 50 { // fast-import chains commits to a branch by itself
			fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter T <t@example.com> %d +0000\ndata 6\ncommit\n", 1700000000+c)
			for f := range 3 {
				var body strings.Builder
				for l := range 100 {
					fmt.Fprintf(&body, "line %d of file %d in commit %d: learning_rate = 0.%04d\n", l, f, c, (l*c+f)%9973)
				}
				fmt.Fprintf(&stream, "M 100644 inline src/file%d.py\ndata %d\n%s\n", f, body.Len(), body.String())
			}
		}
		cmd := gittest.Command(b, dir, "fast-import", "--quiet")
		cmd.Stdin = &stream
		gittest.Output(b, cmd)
		if err := h.AddGitRepo(types[i%3], fmt.Sprintf("bench/repo-%02d", i), dir, false); err != nil {
			b.Fatal(err)
		}
	}
	return h
}

// BenchmarkHubFetch20 is the fetch alone: 20 repositories, 4 at a time.
func BenchmarkHubFetch20(b *testing.B) {
	h := benchOrg(b)
	for b.Loop() {
		g := new(errgroup.Group)
		g.SetLimit(4)
		for i := range 20 {
			g.Go(func() error {
				r := hub.Repo{Type: types[i%3], ID: fmt.Sprintf("bench/repo-%02d", i)}
				return hubfetch.Fetch(context.Background(), hubfetch.Request{Hub: &hub.Client{Endpoint: h.URL}, Repo: r}, filepath.Join(b.TempDir(), "c.git"))
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHubScan20 is the whole command over the organisation: listing,
// fetching and scanning every commit.
func BenchmarkHubScan20(b *testing.B) {
	h := benchOrg(b)
	b.Setenv("HF_ENDPOINT", h.URL)
	b.Setenv("HF_TOKEN", "")
	b.Setenv("XDG_STATE_HOME", b.TempDir())
	b.Chdir(b.TempDir())
	for b.Loop() {
		var stderr bytes.Buffer
		if code := run([]string{"hub", "--org", "bench", "--no-audit-log"}, nil, io.Discard, &stderr); code != 0 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}
