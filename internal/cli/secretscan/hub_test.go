package secretscan

import (
	"fmt"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// TestShardsAreDisjointAndComplete: for N = 1, 3 and 7, every repository
// falls in exactly one share, and no share is empty for a large set.
func TestShardsAreDisjointAndComplete(t *testing.T) {
	var repos []hub.Repo
	for i := range 500 {
		repos = append(repos, hub.Repo{Type: types[i%3], ID: fmt.Sprintf("org%d/repo-%d", i%7, i)})
	}
	for _, n := range []int{1, 3, 7} {
		sizes := make([]int, n)
		for _, r := range repos {
			in := 0
			for k := 1; k <= n; k++ {
				if inShard(r, k, n) {
					in++
					sizes[k-1]++
				}
			}
			if in != 1 {
				t.Fatalf("N=%d: %s %s is in %d shares, want exactly 1", n, r.Type, r.ID, in)
			}
		}
		for k, size := range sizes {
			if size == 0 {
				t.Errorf("N=%d: share %d is empty", n, k+1)
			}
		}
	}
}

func TestParseRepoAndShard(t *testing.T) {
	c := &hubCmd{Type: "dataset"}
	for in, want := range map[string]hub.Repo{
		"alice/x":           {Type: "dataset", ID: "alice/x"},
		"spaces/alice/demo": {Type: "space", ID: "alice/demo"},
		"models/alice/bert": {Type: "model", ID: "alice/bert"},
	} {
		if got, err := c.parseRepo(in); err != nil || got != want {
			t.Errorf("parseRepo(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"alice", "alice/", "notes/alice/x", "a/b/c/d"} {
		if _, err := c.parseRepo(bad); err == nil {
			t.Errorf("parseRepo(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "x/2", "2"} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("parseShard(%q) accepted", bad)
		}
	}
}

// TestLFSPointers notes pointers, whole or as the changed lines of an
// update, and nothing else.
func TestLFSPointers(t *testing.T) {
	var l lfsPointers
	l.note(scan.Fragment{Path: "w.bin", Commit: "0123456789abcdef", Content: []byte("version https://git-lfs.github.com/spec/v1\noid sha256:aa\nsize 2048\n")})
	l.note(scan.Fragment{Path: "w.bin", Commit: "fedcba9876543210", Content: []byte("oid sha256:bb\nsize 4096\n")})
	l.note(scan.Fragment{Path: "notes.txt", Content: []byte("oid sha256:cc\nsize 1\nand some text\n")})
	l.note(scan.Fragment{Path: "size.txt", Content: []byte("size 12\n")})
	got := l.list("model a/b")
	if len(got) != 2 || got[0].Path != "model a/b: w.bin" || got[0].Reason != "LFS object not downloaded: 2 KiB" ||
		got[1].Reason != "LFS object not downloaded: 4 KiB" || got[1].Size != 4096 || got[0].Incomplete {
		t.Errorf("pointers: %+v", got)
	}
}

func TestFileLink(t *testing.T) {
	for r, want := range map[hub.Repo]string{
		{Type: "model", ID: "a/b"}:   "https://hf.co/a/b/blob/c0/dir/my%20file.py#L7",
		{Type: "dataset", ID: "a/b"}: "https://hf.co/datasets/a/b/blob/c0/dir/my%20file.py#L7",
		{Type: "space", ID: "a/b"}:   "https://hf.co/spaces/a/b/blob/c0/dir/my%20file.py#L7",
	} {
		if got := fileLink("https://hf.co", r, "c0", "dir/my file.py", 7); got != want {
			t.Errorf("%s: %s, want %s", r.Type, got, want)
		}
	}
}
