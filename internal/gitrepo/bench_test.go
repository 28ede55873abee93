package gitrepo

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPackRead reads every version of a file from a pack git wrote
// with long delta chains, through a fresh reader each time: inflating,
// checksumming and rebuilding deltas is the cost of a history scan's reads.
func BenchmarkPackRead(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed")
	}
	dir := b.TempDir()
	git := func(args ...string) string {
		out, err := gitCmd(dir, args...).Output()
		if err != nil {
			b.Fatalf("git %v: %v", args, err)
		}
		return string(out)
	}
	git("init", "-q")
	var body strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&body, "line %d of a file that changes a little each commit\n", i)
	}
	content := body.String()
	for v := range 150 {
		content = strings.Replace(content, fmt.Sprintf("line %d ", v*13), fmt.Sprintf("LINE %d (v%d) ", v*13, v), 1)
		os.WriteFile(filepath.Join(dir, "big.txt"), []byte(content), 0o644)
		git("add", "big.txt")
		git("commit", "-q", "-m", fmt.Sprint("v", v))
	}
	git("repack", "-q", "-adf", "--depth=50")
	var blobs []Hash
	for _, f := range strings.Fields(git("log", "--format=", "--raw", "--no-abbrev")) {
		if h, ok := ParseHash(f); ok && !h.IsZero() {
			blobs = append(blobs, h)
		}
	}
	var bytes int64
	for b.Loop() {
		r, err := Open(dir, Options{ObjectCache: 4 << 20})
		if err != nil {
			b.Fatal(err)
		}
		bytes = 0
		for _, h := range blobs {
			data, _, err := r.Blob(h, 0)
			if err != nil {
				b.Fatal(err)
			}
			bytes += int64(len(data))
		}
		r.Close()
	}
	b.SetBytes(bytes)
}
