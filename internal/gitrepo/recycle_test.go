package gitrepo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// versions makes a repository with many versions of a few files, packed
// as delta chains, and returns it with each version's bytes as git shows
// them.
func versions(t *testing.T) (string, map[Hash][]byte) {
	t.Helper()
	gittest.Require(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q")
	files := make([]string, 3)
	for f := range files {
		var b strings.Builder
		for i := range 60 + 40*f {
			fmt.Fprintf(&b, "file %d line %d, long enough to make each version a few KiB\n", f, i)
		}
		files[f] = b.String()
	}
	for v := range 40 {
		for f := range files {
			files[f] = strings.Replace(files[f], fmt.Sprintf("line %d,", v), fmt.Sprintf("LINE %d (v%d),", v, v), 1)
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", f)), []byte(files[f]), 0o644)
		}
		runGit(t, dir, "add", ".")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint("v", v))
	}
	runGit(t, dir, "gc", "-q")
	want := map[Hash][]byte{}
	for _, f := range strings.Fields(runGit(t, dir, "log", "--format=", "--raw", "--no-abbrev")) {
		if h, ok := ParseHash(f); ok && !h.IsZero() {
			want[h] = []byte(runGit(t, dir, "cat-file", "blob", f))
		}
	}
	return dir, want
}

// Readers of a recycling cache side by side, each holding two versions
// while a cache far too small for them evicts them: what a reader holds
// must stay what git says until it releases it, though buffers are
// handed out again all the time.
func TestRecycledBufferNotReusedWhileHeld(t *testing.T) {
	dir, want := versions(t)
	var hashes []Hash
	for h := range want {
		hashes = append(hashes, h)
	}
	cache := NewCache(48 << 10).Recycle()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		r, err := Open(dir, Options{Shared: cache})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range 400 {
				r.Hold()
				var held [][]byte
				var ids []Hash
				for range 3 {
					h := hashes[rng.IntN(len(hashes))]
					b, _, err := r.Blob(h, 0)
					if err != nil {
						errs <- err
						return
					}
					held, ids = append(held, b), append(ids, h)
				}
				for i, b := range held {
					if !bytes.Equal(b, want[ids[i]]) {
						errs <- fmt.Errorf("blob %s changed while held", ids[i])
						return
					}
				}
				r.Release()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if cache.rec.reused == 0 {
		t.Fatal("no buffer was reused: the test checked nothing")
	}
}

// A Repo that never says it holds nothing blocks reuse; trees are never
// recycled; what is kept stays within a quarter of the budget.
func TestRecyclingIsSafeByDefault(t *testing.T) {
	dir, want := versions(t)
	cache := NewCache(48 << 10).Recycle()
	silent, err := Open(dir, Options{Shared: cache}) // never calls Hold
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, Options{Shared: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read := func() {
		for h, b := range want {
			r.Hold()
			got, _, err := r.Blob(h, 0)
			if err != nil || !bytes.Equal(got, b) {
				t.Fatalf("blob %s: %v", h, err)
			}
			r.Release()
			if cache.rec.bytes > cache.max/4 {
				t.Fatalf("%d bytes kept for reuse, budget %d", cache.rec.bytes, cache.max)
			}
		}
	}
	read()
	if cache.rec.reused != 0 {
		t.Fatalf("%d buffers reused while a reader that never released was open", cache.rec.reused)
	}
	silent.Close() // no longer a reader
	read()
	read()
	if cache.rec.reused == 0 {
		t.Fatal("no buffer reused once every reader released")
	}
	// Trees are kept by id elsewhere: never retired.
	rc := NewCache(1 << 20).Recycle().rec
	rc.retire(cacheEntry{typ: plumbing.TreeObject, data: make([]byte, 4096)})
	if len(rc.retired) != 0 {
		t.Fatal("a tree was retired")
	}
	rc.retire(cacheEntry{typ: plumbing.BlobObject, data: make([]byte, 4096)})
	if len(rc.retired) != 1 {
		t.Fatal("a blob was not retired")
	}
}

// Any buffer of a request's class holds it, and a class's size is at most
// an eighth over the request.
func TestRecycleClasses(t *testing.T) {
	for n := minRecycled; n < 1<<22; n += 1 + n/97 {
		class, size := classAbove(n)
		if size < n || size > n+n/8 {
			t.Fatalf("classAbove(%d) = size %d", n, size)
		}
		if c, s := classBelow(size); c != class || s != size {
			t.Fatalf("classBelow(%d) = %d, %d; classAbove(%d) = %d", size, c, s, n, class)
		}
		// A larger buffer serves this class or a higher one, never a lower.
		if c, s := classBelow(size + 1); c < class || s > size+1 {
			t.Fatalf("classBelow(%d) = %d, %d", size+1, c, s)
		}
		if c, _ := classBelow(size - 1); size-1 >= minRecycled && c >= class {
			t.Fatalf("classBelow(%d) = %d serves class %d of %d bytes", size-1, c, class, size)
		}
	}
}
