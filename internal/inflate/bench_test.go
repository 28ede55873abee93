package inflate

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stream is one zlib stream of a pack and the size it inflates to.
type stream struct {
	z    []byte
	size int
}

// packStreams cuts the zlib streams out of the pack of git repository dir
// (the first one: git repack -a leaves one), as git wrote them.
func packStreams(tb testing.TB, dir string) []stream {
	tb.Helper()
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idxs) == 0 {
		tb.Fatalf("no pack in %s", dir)
	}
	out, err := exec.Command("git", "-C", dir, "verify-pack", "-v", idxs[0]).Output()
	if err != nil {
		tb.Fatalf("git verify-pack: %v", err)
	}
	pk, err := os.ReadFile(strings.TrimSuffix(idxs[0], ".idx") + ".pack")
	if err != nil {
		tb.Fatal(err)
	}
	var streams []stream
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || len(f[0]) != 40 {
			continue
		}
		n, _ := strconv.Atoi(f[3])
		off, _ := strconv.Atoi(f[4])
		e := pk[off : off+n]
		// The entry's header: type and inflated size, then a delta's base.
		c := e[0]
		typ, size, shift, i := c>>4&7, int(c&15), 4, 1
		for ; c&0x80 != 0; i++ {
			c = e[i]
			size |= int(c&0x7f) << shift
			shift += 7
		}
		switch typ {
		case 6:
			for e[i]&0x80 != 0 {
				i++
			}
			i++
		case 7:
			i += 20
		}
		streams = append(streams, stream{z: e[i:], size: size})
	}
	return streams
}

func benchStreams(b *testing.B, streams []stream) {
	total := 0
	for _, s := range streams {
		total += s.size
	}
	b.Logf("%d streams, %d bytes inflated, %.0f on average", len(streams), total, float64(total)/float64(len(streams)))
	b.Run("ours", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, s := range streams {
				if _, err := Zlib(make([]byte, s.size), s.z); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(total))
		br := bytes.NewReader(nil)
		var zr io.ReadCloser
		var one [1]byte
		for b.Loop() {
			for _, s := range streams {
				br.Reset(s.z)
				var err error
				if zr == nil {
					zr, err = zlib.NewReader(br)
				} else {
					err = zr.(zlib.Resetter).Reset(br, nil)
				}
				if err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, s.size)
				if _, err := io.ReadFull(zr, buf); err != nil {
					b.Fatal(err)
				}
				if _, err := zr.Read(one[:]); err != io.EOF {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkSmallStreams: the pack entries of 100 B to 4 KiB (trees,
// deltas, small files) of a history git wrote, as a scan inflates them.
func BenchmarkSmallStreams(b *testing.B) {
	dir := gitRepo(b, 60)
	git(b, dir, "repack", "-q", "-adf", "--depth=50")
	var small []stream
	for _, s := range packStreams(b, dir) {
		if s.size >= 100 && s.size <= 4096 {
			small = append(small, s)
		}
	}
	benchStreams(b, small)
}

// BenchmarkText1MiB: one large stream, where decoding speed is all.
func BenchmarkText1MiB(b *testing.B) {
	text := goText(b, 1<<20)
	benchStreams(b, []stream{{z: deflated(b, text, zlib.DefaultCompression), size: len(text)}})
}

// BenchmarkRealPack samples the pack of the repository at
// $TOKENGUARD_BENCH_REPO.
func BenchmarkRealPack(b *testing.B) {
	dir := os.Getenv("TOKENGUARD_BENCH_REPO")
	if dir == "" {
		b.Skip("TOKENGUARD_BENCH_REPO not set")
	}
	streams := packStreams(b, dir)
	if k := len(streams) / 20000; k > 1 { // a sample from all over the pack
		var sample []stream
		for i := 0; i < len(streams); i += k {
			sample = append(sample, streams[i])
		}
		streams = sample
	}
	// Side by side in memory, so the benchmark measures decoding rather
	// than cache misses on a large pack (both decoders pay those).
	for i, s := range streams {
		streams[i].z = bytes.Clone(s.z)
	}
	benchStreams(b, streams)
}
