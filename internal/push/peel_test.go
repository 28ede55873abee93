package push

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

// tagRepo is a repository with a secret in its one commit, and annotated
// tags of every shape: of a commit, of a tag of a tag of that commit, of
// a tree and of a blob, each holding the secret.
func tagRepo(t *testing.T) (dir string, tags map[string]string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir = t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "train.py"), []byte("HF_TOKEN = \""+hubtest.TokenWrite+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "train.py")
	git(t, dir, "commit", "-q", "-m", "one")
	git(t, dir, "tag", "-a", "-m", "v1", "v1")
	git(t, dir, "tag", "-a", "-m", "of v1", "v1-again", "v1")
	git(t, dir, "tag", "-a", "-m", "of v1-again", "v1-thrice", "v1-again")
	git(t, dir, "tag", "-a", "-m", "a tree", "tree-tag", "HEAD^{tree}")
	git(t, dir, "tag", "-a", "-m", "a blob", "blob-tag", "HEAD:train.py")
	tags = map[string]string{}
	for _, name := range []string{"v1", "v1-thrice", "tree-tag", "blob-tag"} {
		tags[name] = git(t, dir, "rev-parse", "refs/tags/"+name)
	}
	tags["commit"] = git(t, dir, "rev-parse", "HEAD")
	return dir, tags
}

// peel agrees with git's own peeling (rev-parse TAG^{}) at any depth and
// for every kind of target.
func TestPeelAgreesWithGit(t *testing.T) {
	dir, tags := tagRepo(t)
	r, err := gitrepo.Open(dir, gitrepo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for name, want := range map[string]plumbing.ObjectType{"v1": plumbing.CommitObject, "v1-thrice": plumbing.CommitObject,
		"tree-tag": plumbing.TreeObject, "blob-tag": plumbing.BlobObject, "commit": plumbing.CommitObject} {
		h, kind, err := r.Peel(mustHash(tags[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if kind != want || h.String() != git(t, dir, "rev-parse", tags[name]+"^{}") {
			t.Errorf("%s peels to %s %s, git says %s %s", name, kind, h, git(t, dir, "cat-file", "-t", tags[name]+"^{}"), git(t, dir, "rev-parse", tags[name]+"^{}"))
		}
	}
	if _, _, err := r.Peel(mustHash(strings.Repeat("ab", 20))); err == nil || !strings.Contains(err.Error(), "missing object") {
		t.Errorf("missing object: %v", err)
	}
}

func checkPush(t *testing.T, dir string, g *Guard, updates ...Update) *Report {
	t.Helper()
	engine, err := scan.New(scan.Config{})
	if err != nil {
		t.Fatal(err)
	}
	g.Dir, g.Engine, g.SkipHub = dir, engine, true
	if g.MaxFileSize == 0 {
		g.MaxFileSize = DefaultMaxFileSize
	}
	rep, err := g.Check(context.Background(), context.Background(), updates)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Every shape of tag push brings what it points at into the check.
func TestGuardPeelsTags(t *testing.T) {
	dir, tags := tagRepo(t)
	for _, name := range []string{"v1", "v1-thrice", "tree-tag", "blob-tag"} {
		rep := checkPush(t, dir, &Guard{}, Update{LocalRef: "refs/tags/" + name, LocalSHA: tags[name], RemoteRef: "refs/tags/" + name, RemoteSHA: ZeroSHA})
		var files []string
		for _, f := range rep.Secrets {
			files = append(files, f.File)
		}
		want := map[string]string{"v1": "train.py", "v1-thrice": "train.py", "tree-tag": "refs/tags/tree-tag:train.py", "blob-tag": "refs/tags/blob-tag"}[name]
		if !slices.Equal(files, []string{want}) || len(rep.NotScanned) != 0 {
			t.Errorf("%s: secrets in %v, want %s; not scanned %v", name, files, want, rep.NotScanned)
		}
	}
	// Moving a tag: the remote's old tag is peeled too, so only what is
	// new since its commit is checked.
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "two")
	git(t, dir, "tag", "-a", "-f", "-m", "moved", "v1")
	rep := checkPush(t, dir, &Guard{}, Update{LocalRef: "refs/tags/v1", LocalSHA: git(t, dir, "rev-parse", "refs/tags/v1"), RemoteRef: "refs/tags/v1", RemoteSHA: tags["v1"]})
	if rep.Commits != 1 || len(rep.Secrets) != 0 || len(rep.Warnings) != 0 {
		t.Errorf("moved tag: %d commits, secrets %v, warnings %v", rep.Commits, rep.Secrets, rep.Warnings)
	}
}

// A pushed object the repository lacks is named with its ref: not a push
// of 0 commits.
func TestGuardNamesMissingLocalObject(t *testing.T) {
	dir, tags := tagRepo(t)
	missing := strings.Repeat("ab", 20)
	rep := checkPush(t, dir, &Guard{},
		Update{LocalRef: "refs/heads/ghost", LocalSHA: missing, RemoteRef: "refs/heads/ghost", RemoteSHA: ZeroSHA},
		Update{LocalRef: "refs/heads/main", LocalSHA: tags["commit"], RemoteRef: "refs/heads/main", RemoteSHA: ZeroSHA})
	want := []source.Skip{{Path: "refs/heads/ghost", Reason: "missing: the pushed object " + missing + " is not in this repository"}}
	if !slices.Equal(rep.NotScanned, want) || !rep.NotScanned[0].Incomplete(true) {
		t.Errorf("not scanned %v\nwant %v", rep.NotScanned, want)
	}
	if len(rep.Secrets) != 1 {
		t.Errorf("the other ref is still checked: %v", rep.Secrets)
	}
}

// The scan limit is not the LFS limit: with the LFS limit raised, a big
// file is still scanned up to the scan limit, and listed beyond it.
func TestGuardScansUpToTheScanLimit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	big := strings.Repeat("x = 1\n", 200<<10) + "HF_TOKEN = \"" + hubtest.TokenWrite + "\"\n" // 1.2 MiB
	if err := os.WriteFile(filepath.Join(dir, "log.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "img.bin"), []byte("\x00\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "big")
	head := git(t, dir, "rev-parse", "HEAD")
	u := Update{LocalRef: "refs/heads/main", LocalSHA: head, RemoteRef: "refs/heads/main", RemoteSHA: ZeroSHA}

	rep := checkPush(t, dir, &Guard{MaxFileSize: 100 << 20, ScanMaxSize: 2 << 20}, u)
	if len(rep.Secrets) != 1 || len(rep.LargeFiles) != 0 {
		t.Errorf("under the scan limit: secrets %v, large %v", rep.Secrets, rep.LargeFiles)
	}
	rep = checkPush(t, dir, &Guard{MaxFileSize: 100 << 20, ScanMaxSize: 1 << 20}, u)
	got := []source.Skip{}
	for _, s := range rep.NotScanned {
		got = append(got, source.Skip{Path: s.Path, Reason: s.Reason})
	}
	want := []source.Skip{{Path: "img.bin", Reason: "binary"}, {Path: "log.txt", Reason: "larger than 1 MiB"}}
	if len(rep.Secrets) != 0 || !slices.Equal(got, want) || rep.NotScanned[1].Commit != head[:12] {
		t.Errorf("over the scan limit: secrets %v, not scanned %v", rep.Secrets, rep.NotScanned)
	}
}
