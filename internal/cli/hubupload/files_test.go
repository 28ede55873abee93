package hubupload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub"
)

func TestGlobs(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"*.bin", "a.bin", true},
		{"*.bin", "sub/a.bin", true}, // fnmatch: * crosses /
		{"*.bin", "a.binx", false},
		{"sub/", "sub/a/b.txt", true},
		{"sub/", "subx/a", false},
		{"a?.txt", "ab.txt", true},
		{"a?.txt", "a/.txt", true},
		{"[x].txt", "[x].txt", true},
	} {
		if got := compileGlobs([]string{c.pattern}).match(c.path); got != c.want {
			t.Errorf("%q on %q = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"m/a.txt", "m/sub/b.bin", "m/.git/HEAD", "m/.cache/huggingface/x", "m/keep.tmp", "single.json"} {
		abs := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, skipped, err := collect([]string{filepath.Join(dir, "m"), filepath.Join(dir, "single.json")}, "/up/", nil, compileGlobs([]string{"*.tmp"}))
	if err != nil || len(skipped) != 0 {
		t.Fatal(err, skipped)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if want := "up/a.txt up/single.json up/sub/b.bin"; strings.Join(got, " ") != want {
		t.Errorf("collected %v, want %s", got, want)
	}
}

// Links inside a folder: followed to a file inside it, skipped (the same
// way every time, with the reason) when they lead outside, nowhere, into a
// loop or to a directory. A folder given through a link is walked.
func TestCollectLinks(t *testing.T) {
	dir := t.TempDir()
	write := func(p string) {
		abs := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, at string) {
		if err := os.Symlink(target, filepath.Join(dir, at)); err != nil {
			t.Fatal(err)
		}
	}
	write("m/real.bin")
	write("m/sub/deep.txt")
	write("secret.txt")
	link("real.bin", "m/alias.bin")         // inside: followed
	link("../sub/deep.txt", "m/sub/up.txt") // inside, through ..: followed
	link("../secret.txt", "m/out.txt")      // outside
	link("missing", "m/dangling")           // nowhere
	link("loop-b", "m/loop-a")              // a loop
	link("loop-a", "m/loop-b")              //
	link("sub", "m/subdir")                 // a directory
	link(filepath.Join(dir, "m"), "m-link") // the folder given through a link

	for _, root := range []string{"m", "m-link"} {
		files, skipped, err := collect([]string{filepath.Join(dir, root)}, "", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range files {
			got = append(got, f.Path)
		}
		if want := "alias.bin real.bin sub/deep.txt sub/up.txt"; strings.Join(got, " ") != want {
			t.Errorf("%s: collected %v, want %s", root, got, want)
		}
		reasons := map[string]string{}
		for _, s := range skipped {
			reasons[strings.TrimPrefix(s.Path, filepath.Join(dir, root)+"/")] = s.Reason
		}
		for p, want := range map[string]string{
			"out.txt":  "link to ../secret.txt, outside the folder",
			"dangling": "dangling link to missing",
			"loop-a":   "link loop through loop-b",
			"loop-b":   "link loop through loop-a",
			"subdir":   "link to the directory sub (links to directories are not followed)",
		} {
			if reasons[p] != want {
				t.Errorf("%s: %s skipped as %q, want %q", root, p, reasons[p], want)
			}
		}
		if len(skipped) != 5 {
			t.Errorf("%s: skipped %v, want 5", root, skipped)
		}
	}
}

// Every path huggingface_hub's _validate_path_in_repo refuses ("..",
// "../…", a ".git" component) is refused, and more that the Hub answers
// 400 to or that would land elsewhere than meant.
func TestCheckRepoPath(t *testing.T) {
	for _, p := range []string{"model.bin", "ckpt/epoch-3/model.safetensors", ".gitattributes", "a..b/c", "...", "été/x"} {
		if err := checkRepoPath(p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	for _, p := range []string{"..", "../etc", "a/../../etc", ".", "./a", "a/./b", ".git", ".git/config", "sub/.git/HEAD",
		"", "/etc/passwd", "a//b", "a/", "a\\b", "bad\xffutf8", "new\nline", "tab\there"} {
		if err := checkRepoPath(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestPathInRepo(t *testing.T) {
	for in, want := range map[string]string{"": "", ".": "", "/": "", "/v2/": "v2", "ckpt/epoch-3": "ckpt/epoch-3"} {
		if got, err := repoFolder(in); err != nil || got != want {
			t.Errorf("--path-in-repo %q = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"../../etc", "a/../..", ".git", "x/.git", "a//b", "a\\b", "..", "./a"} {
		if _, err := repoFolder(in); err == nil || !strings.Contains(err.Error(), "--path-in-repo") {
			t.Errorf("--path-in-repo %q: got %v, want a refusal naming the flag", in, err)
		}
	}
	// The same rules for every file path built from a folder.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a\\b.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := collect([]string{dir}, "", nil, nil); err == nil || !strings.Contains(err.Error(), "backslash") {
		t.Errorf("a file name with a backslash: %v", err)
	}
}

func TestDeletions(t *testing.T) {
	remote := []hub.RemoteFile{{Path: ".gitattributes"}, {Path: "ckpt/a.bin"}, {Path: "ckpt/b.bin"}, {Path: "other/c.bin"}, {Path: "ckpt/n.txt"}}
	uploading := []*hub.LocalFile{{Path: "ckpt/b.bin"}}
	got := deletions(remote, "ckpt", compileGlobs([]string{"*.bin"}), uploading)
	if strings.Join(got, " ") != "ckpt/a.bin" {
		t.Errorf("deletions = %v, want only ckpt/a.bin", got)
	}
	got = deletions(remote, "", compileGlobs([]string{"*"}), nil)
	if strings.Join(got, " ") != "ckpt/a.bin ckpt/b.bin ckpt/n.txt other/c.bin" {
		t.Errorf("deletions = %v: .gitattributes must never be deleted", got)
	}
}
