package inflate

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// FuzzZlibMatchesStdlib decodes any bytes with ours and with compress/zlib,
// for a claimed size near the reference's result (or any size when it
// refuses): ours must read exactly what the reference reads, as much of
// the stream, or refuse. The same for the first bytes only (ZlibPrefix).
//
// One rule is git's, not Go's: zlib refuses a preset dictionary, while
// Go's reader takes one whose checksum is that of no dictionary. And Go's
// reader looks ahead a little (below).
func FuzzZlibMatchesStdlib(f *testing.F) {
	for _, level := range levels {
		for _, data := range [][]byte{nil, []byte("a"), []byte("hello, hello, hello world"), goText(f, 3000), bytes.Repeat([]byte{7}, 600)} {
			z := deflated(f, data, level)
			f.Add(z, int16(0))
			// A bit flipped in each of a few places.
			for _, at := range []int{2, 3, len(z) / 2, len(z) - 5} {
				if at >= 0 && at < len(z) {
					m := bytes.Clone(z)
					m[at] ^= 1 << (at % 8)
					f.Add(m, int16(0))
				}
			}
		}
	}
	f.Add(wrap(fixedBlock(nil), []byte("ab")), int16(0))
	f.Add(wrap(fixedBlock(nil), []byte("ab")), int16(1))
	f.Add(wrap(codeLengths(257, 1, [][2]int{{16, 0}}), nil), int16(0))
	// Streams git's own zlib wrote.
	if dir := gitRepoIfGit(f); dir != "" {
		loose, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "??", "*"))
		for _, p := range loose[:min(len(loose), 20)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, int16(0))
			}
		}
	}

	f.Fuzz(func(t *testing.T, src []byte, claim int16) {
		const limit = 1 << 20
		want, wantUsed, rerr := reference(src, limit)
		if len(src) >= 2 && src[1]&0x20 != 0 {
			rerr = errors.New("preset dictionary")
		}
		size := int(uint16(claim)) % 4096
		if rerr == nil {
			size = max(0, len(want)+int(claim)%3)
		}
		got := make([]byte, size)
		used, err := Zlib(got, src)
		switch {
		case err != nil && !errors.Is(err, ErrCorrupt):
			t.Fatalf("an error not ErrCorrupt: %v", err)
		case err == nil && rerr != nil:
			t.Fatalf("we read %d bytes of a stream the reference refuses: %v", size, rerr)
		case err == nil && len(want) != size:
			t.Fatalf("we read %d bytes, the reference %d", size, len(want))
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("content differs from the reference's (%d bytes)", size)
		case err == nil && used != wantUsed:
			t.Fatalf("we used %d bytes of the stream, the reference %d", used, wantUsed)
		case err != nil && rerr == nil && len(want) == size:
			t.Fatalf("we refuse a stream the reference reads (%d bytes): %v", size, err)
		}

		n := min(size, 40)
		p := make([]byte, n)
		perr := ZlibPrefix(p, src)
		rp, rperr := referencePrefix(src, n)
		if perr == nil && rperr != nil {
			// Before each symbol Go's decoder reads as many bits as its
			// shortest code or end-of-block code takes, whichever is
			// longer: it refuses a prefix whose stream is cut just after
			// it. Given those bits (2 bytes at most) it must agree.
			rp, rperr = referencePrefix(append(bytes.Clone(src), 0, 0, 0, 0), n)
		}
		if len(src) >= 2 && src[1]&0x20 != 0 {
			rperr = errors.New("preset dictionary")
		}
		switch {
		case perr != nil && !errors.Is(perr, ErrCorrupt):
			t.Fatalf("prefix: an error not ErrCorrupt: %v", perr)
		case perr == nil && rperr != nil:
			t.Fatalf("prefix: we read %d bytes the reference refuses: %v", n, rperr)
		case perr == nil && !bytes.Equal(p, rp):
			t.Fatalf("prefix: %d bytes differ from the reference's", n)
		case perr != nil && rperr == nil:
			t.Fatalf("prefix: we refuse %d bytes the reference reads: %v", n, perr)
		}
	})
}

// gitRepoIfGit is gitRepo, or "" without git.
func gitRepoIfGit(tb testing.TB) string {
	if _, err := exec.LookPath("git"); err != nil {
		return ""
	}
	return gitRepo(tb, 3)
}
