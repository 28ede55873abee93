package source

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

func TestStagedFirstCommit(t *testing.T) {
	g := newGitRepo(t)
	g.write("train.py", "import os\n\ntoken = \""+hfToken+"\"\n")
	g.write("clean.py", "print(1)\n")
	g.git("add", "-A")
	want(t, found(t, Staged{Dir: g.dir}), "train.py:3 dKH9")
}

func TestStagedOnlyAddedLines(t *testing.T) {
	g := newGitRepo(t)
	g.write("a.py", "x = 1\nold = \""+hfToken+"\"\ny = 2\n")
	g.commit("one")
	// The committed secret is not reported again; the new one is, with the
	// line number of the staged version.
	g.write("a.py", "x = 1\nold = \""+hfToken+"\"\nnew = \""+hfToken2+"\"\ny = 2\n")
	g.git("add", "a.py")
	want(t, found(t, Staged{Dir: g.dir}), "a.py:3 sT0u")
}

func TestStagedPartiallyStaged(t *testing.T) {
	g := newGitRepo(t)
	g.write("a.py", "x = 1\n")
	g.commit("one")
	g.write("a.py", "x = 1\nstaged = \""+hfToken+"\"\n")
	g.git("add", "a.py")
	// The working copy drops the staged secret and adds another: only what
	// is staged counts.
	g.write("a.py", "x = 1\nunstaged = \""+hfToken2+"\"\n")
	want(t, found(t, Staged{Dir: g.dir}), "a.py:2 dKH9")
}

func TestStagedRenameCopyDeleteMode(t *testing.T) {
	g := newGitRepo(t)
	body := "line 1\nline 2\nline 3\nline 4\nkey = \"" + hfToken + "\"\n"
	g.write("old/config.py", body)
	g.write("keep.py", "k = \""+hfToken3+"\"\n")
	g.write("gone.py", "g = 1\n")
	g.commit("one")
	os.MkdirAll(filepath.Join(g.dir, "new"), 0o755)
	g.git("mv", "old/config.py", "new/config.py")  // exact rename
	g.write("copy.py", "k = \""+hfToken3+"\"\n")   // exact copy
	g.git("rm", "-q", "gone.py")                   // deletion
	g.git("update-index", "--chmod=+x", "keep.py") // mode only
	g.write("moved.txt", "")                       // empty new file
	g.git("add", "-A")
	want(t, found(t, Staged{Dir: g.dir}))

	// An edited rename: only the edit is new.
	g.commit("two")
	os.MkdirAll(filepath.Join(g.dir, "cfg"), 0o755)
	g.git("mv", "new/config.py", "cfg/settings.py")
	g.write("cfg/settings.py", body+"extra = \""+hfToken2+"\"\n")
	g.git("add", "-A")
	want(t, found(t, Staged{Dir: g.dir}), "cfg/settings.py:6 sT0u")
}

func TestStagedBinarySymlinkSubmodule(t *testing.T) {
	g := newGitRepo(t)
	g.write("base.txt", "base\n")
	g.commit("one")
	g.write("model.bin", "\x00\x01"+hfToken+"\x00")
	os.Symlink("hf_"+hfToken[3:], filepath.Join(g.dir, "link"))
	sub := newGitRepo(t)
	sub.write("s.py", "s = \""+hfToken2+"\"\n")
	c := sub.commit("sub")
	g.git("update-index", "--add", "--cacheinfo", "160000,"+c+",vendor/sub")
	g.git("add", "model.bin", "link")
	var skipped []string
	want(t, found(t, Staged{Dir: g.dir, Options: Options{Skipped: func(p, r string) { skipped = append(skipped, p+": "+r) }}}))
	if len(skipped) != 1 || skipped[0] != "model.bin: binary" {
		t.Errorf("skipped = %q", skipped)
	}
}

func TestStagedIntentToAdd(t *testing.T) {
	g := newGitRepo(t)
	g.write("base.txt", "base\n")
	g.commit("one")
	g.write("later.py", "t = \""+hfToken+"\"\n")
	g.git("add", "-N", "later.py")
	// Nothing of later.py is staged, so nothing is committed.
	want(t, found(t, Staged{Dir: g.dir}))
}

func TestStagedMergeInProgress(t *testing.T) {
	g := newGitRepo(t)
	g.write("conf.py", "a = 1\n")
	g.commit("base")
	g.git("checkout", "-q", "-b", "topic")
	g.write("conf.py", "a = 2\n")
	g.write("topic.py", "t = \""+hfToken+"\"\n")
	g.commit("topic")
	g.git("checkout", "-q", "main")
	g.write("conf.py", "a = 3\n")
	g.commit("main")
	g.gitMay("merge", "-q", "topic") // conflicts
	// Resolve the conflict with a line neither side had.
	g.write("conf.py", "a = 4\nkey = \""+hfToken2+"\"\n")
	g.git("add", "conf.py")
	if _, err := os.Stat(filepath.Join(g.dir, ".git", "MERGE_HEAD")); err != nil {
		t.Fatal("no merge in progress")
	}
	// topic.py comes from the merged branch: not new in this commit.
	want(t, found(t, Staged{Dir: g.dir}), "conf.py:2 sT0u")
}

func TestStagedNonUTF8NameSubdirWorktree(t *testing.T) {
	g := newGitRepo(t)
	g.write("README", "r\n")
	g.commit("one")
	name := "caf\xe9.env"
	g.write("sub/dir/"+name, "HF_TOKEN="+hfToken+"\n")
	g.git("add", "-A")
	// From a subdirectory: paths stay relative to the top.
	want(t, found(t, Staged{Dir: filepath.Join(g.dir, "sub")}), "sub/dir/"+name+":1 dKH9")

	g.commit("two")
	wt := filepath.Join(t.TempDir(), "wt")
	g.git("worktree", "add", "-q", wt)
	os.WriteFile(filepath.Join(wt, "w.py"), []byte("w = \""+hfToken2+"\"\n"), 0o644)
	g.gitIn(wt, "add", "w.py")
	want(t, found(t, Staged{Dir: wt}), "w.py:1 sT0u")
	// The main work tree's index is its own.
	want(t, found(t, Staged{Dir: g.dir}))
}

func TestStagedNotARepository(t *testing.T) {
	err := Staged{Dir: t.TempDir()}.Fragments(t.Context(), nil)
	if !errors.Is(err, gitrepo.ErrNotRepository) {
		t.Fatalf("err = %v", err)
	}
}

func TestStagedFilesReadsTheIndex(t *testing.T) {
	g := newGitRepo(t)
	g.write("a.py", "a = \""+hfToken+"\"\n")
	g.write("b.py", "b = 1\n")
	g.commit("one") // an unchanged file with a secret: --all-files must see it
	g.write("b.py", "b = \""+hfToken2+"\"\n")
	g.git("add", "b.py")
	g.write("b.py", "b = 2\n") // the working copy no longer has it
	g.write("untracked.py", "u = \""+hfToken3+"\"\n")
	t.Chdir(g.dir)
	want(t, found(t, StagedFiles{Paths: []string{"a.py", "b.py", "untracked.py"}}),
		"a.py:1 dKH9", "b.py:1 sT0u", "untracked.py:1 "+hfToken3[len(hfToken3)-4:])
	// Outside a repository: plain files.
	t.Chdir(t.TempDir())
	want(t, found(t, StagedFiles{Paths: []string{filepath.Join(g.dir, "b.py")}}))
}
