package gitrepo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/tokenguard/tokenguard/internal/gittest"
)

// largeHistory commits versions of a file larger than composeMin, each
// with a few lines changed, added and deleted at random places, and packs
// them with long delta chains, as a clone's pack has them. It returns the
// blobs, oldest first.
func largeHistory(t *testing.T, dir string, versions int, repackConfig ...string) []Hash {
	t.Helper()
	runGit(t, dir, "init", "-q")
	rng := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for i := 0; len(strings.Join(lines, "\n")) < composeMin*5/4; i++ {
		lines = append(lines, fmt.Sprintf("row %d,%d,%x,some text to make a csv line longer", i, rng.IntN(1000), rng.Uint64()))
	}
	var blobs []Hash
	for v := range versions {
		for range 6 {
			i := rng.IntN(len(lines))
			switch rng.IntN(3) {
			case 0:
				lines[i] = fmt.Sprintf("edited in v%d: %x", v, rng.Uint64())
			case 1:
				lines = append(lines[:i], append([]string{fmt.Sprintf("added in v%d", v)}, lines[i:]...)...)
			default:
				lines = append(lines[:i], lines[i+1:]...)
			}
		}
		os.WriteFile(filepath.Join(dir, "data.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
		runGit(t, dir, "add", "data.csv")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint("v", v))
		h, _ := ParseHash(strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD:data.csv")))
		blobs = append(blobs, h)
	}
	runGit(t, dir, append(repackConfig, "repack", "-q", "-adf", "--depth=50", "--window=50")...)
	return blobs
}

// maxLargeDepth is the deepest delta chain git built for an object of at
// least composeMin bytes: the test is only worth its name when it is deep.
func maxLargeDepth(t *testing.T, dir string) int {
	t.Helper()
	idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("%d packs", len(idx))
	}
	sizes := map[string]int{}
	for _, line := range strings.Split(runGit(t, dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objectsize)"), "\n") {
		if name, size, ok := strings.Cut(line, " "); ok {
			sizes[name], _ = strconv.Atoi(size)
		}
	}
	deepest := 0
	for _, line := range strings.Split(runGit(t, dir, "verify-pack", "-v", idx[0]), "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || f[1] != "blob" {
			continue
		}
		if depth, _ := strconv.Atoi(f[5]); sizes[f[0]] >= composeMin {
			deepest = max(deepest, depth)
		}
	}
	return deepest
}

// Large objects are composed, not patched: every version read back equals
// git's, whatever the cache holds (nothing, or descriptions and roots from
// earlier reads, in history order and in reverse).
func TestComposedChainsReadAsGitWrote(t *testing.T) {
	gittest.Require(t)
	for _, deltas := range []string{"ofs", "ref"} {
		t.Run(deltas+"-deltas", func(t *testing.T) {
			t.Parallel()
			composedChains(t, deltas == "ref")
		})
	}
}

// composedChains is the test above on a pack whose deltas name their
// bases by offset, or by object id (repack.useDeltaBaseOffset=false).
func composedChains(t *testing.T, refDeltas bool) {
	dir := t.TempDir()
	var config []string
	if refDeltas {
		config = []string{"-c", "repack.useDeltaBaseOffset=false"}
	}
	blobs := largeHistory(t, dir, 40, config...)
	if d := maxLargeDepth(t, dir); d < 5 {
		t.Fatalf("git built delta chains of depth %d for the large file; the test needs deeper ones", d)
	}
	if n := refDeltaCount(t, dir); refDeltas != (n > 0) {
		t.Fatalf("%d ref-deltas in the pack (ref-deltas wanted: %v)", n, refDeltas)
	}
	sameObjects(t, dir) // a cache too small for any large object or description
	want := allObjects(t, dir)
	for _, order := range []string{"oldest first", "newest first"} {
		r, err := Open(dir, Options{ObjectCache: 4 << 20})
		if err != nil {
			t.Fatal(err)
		}
		for i := range blobs {
			h := blobs[i]
			if order == "newest first" {
				h = blobs[len(blobs)-1-i]
			}
			got, _, err := r.Blob(h, 0)
			if err != nil || !bytes.Equal(got, want[h].data) {
				t.Fatalf("%s: blob %s: %v; %d bytes, git %d", order, h, err, len(got), len(want[h].data))
			}
		}
		r.Close()
	}
}

// refDeltaCount counts the pack's entries whose delta names its base by id.
func refDeltaCount(t *testing.T, dir string) int {
	t.Helper()
	r, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	ix := r.packs.files[0].idx
	for i := range ix.n {
		off, _ := ix.offset(i)
		h, err := r.packs.entryAt(0, off, 0)
		if err != nil {
			t.Fatal(err)
		}
		if h.typ == plumbing.REFDeltaObject {
			n++
		}
	}
	return n
}

// FuzzCompose applies two deltas in a row by composing them and by
// patching twice (checked against go-git by FuzzPatchDelta): both accept
// the same chains and write the same bytes.
func FuzzCompose(f *testing.F) {
	f.Add([]byte("hello"), []byte{5, 11, 0x90, 5, 0x90, 3, 3, 'a', 'b', 'c'}, []byte{11, 6, 0x91, 4, 6})
	f.Add([]byte("hello world"), []byte{11, 8, 0x90, 5, 3, 'a', 'b', 'c'}, []byte{8, 9, 1, 'x', 0x90, 8})
	_, packs, _ := gitSeeds(f)
	for _, pk := range packs {
		for _, d := range deltasOf(pk) {
			f.Add(d[0], d[1], []byte{byte(len(d[0])), 0})
		}
	}
	f.Fuzz(func(t *testing.T, base, d1, d2 []byte) {
		mid, err := patchDelta(base, d1, newBuffer)
		var want []byte
		if err == nil {
			want, err = patchDelta(mid, d2, newBuffer)
		}
		root := cacheKey{pack: 1}
		c, cerr := compose(whole(root, 3, int64(len(base))), d1)
		if cerr == nil {
			c, cerr = compose(c, d2)
		}
		var got []byte
		if cerr == nil {
			got, cerr = c.write(base, newBuffer)
		}
		switch {
		case err != nil && cerr != nil:
		case err != nil:
			t.Fatalf("composed a chain patching refuses: %v", err)
		case cerr != nil:
			t.Fatalf("refused a chain patching applies: %v", cerr)
		case !bytes.Equal(got, want):
			t.Fatalf("composed %d bytes, patched %d", len(got), len(want))
		}
	})
}
