package inflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Every result is checked against Go's compress/zlib, a decoder we did not
// write: the same bytes, the same length of stream used, or both refuse.

// reference decodes src with compress/zlib to the end of its stream,
// checksum verified, and says how much of src the stream took. At most
// limit bytes are inflated (a fuzzed stream may expand without end).
func reference(src []byte, limit int) (data []byte, consumed int, err error) {
	br := bytes.NewReader(src)
	zr, err := zlib.NewReader(br)
	if err != nil {
		return nil, 0, err
	}
	data, err = io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > limit {
		return nil, 0, fmt.Errorf("inflates to more than %d bytes", limit)
	}
	return data, len(src) - br.Len(), nil
}

// referencePrefix is the first n bytes of src's content as compress/zlib
// reads them (io.ReadFull, as the pack reader did).
func referencePrefix(src []byte, n int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(zr, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// same checks ours against the reference on stream src, whose content the
// reference must read: the whole, every prefix up to 40 bytes and a few
// longer, and sizes one off either way.
func same(t *testing.T, name string, src []byte) {
	t.Helper()
	want, wantUsed, err := reference(src, 64<<20)
	if err != nil {
		t.Fatalf("%s: the reference refuses the stream: %v", name, err)
	}
	got := make([]byte, len(want))
	used, err := Zlib(got, src)
	switch {
	case err != nil:
		t.Fatalf("%s: %v (the reference reads %d bytes)", name, err, len(want))
	case !bytes.Equal(got, want):
		t.Fatalf("%s: inflated content differs from the reference's (%d bytes)", name, len(want))
	case used != wantUsed:
		t.Fatalf("%s: stream of %d bytes, the reference's %d", name, used, wantUsed)
	}
	for _, n := range []int{len(want) - 1, len(want) + 1} {
		if n < 0 {
			continue
		}
		if _, err := Zlib(make([]byte, n), src); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("%s: %d bytes asked for, %d in the stream: %v", name, n, len(want), err)
		}
	}
	for _, n := range []int{0, 1, 2, 31, 32, 33, 40, 258, 4096, len(want) / 2, len(want)} {
		if n > len(want) {
			continue
		}
		p := make([]byte, n)
		if err := ZlibPrefix(p, src); err != nil || !bytes.Equal(p, want[:n]) {
			t.Fatalf("%s: prefix of %d bytes: %v", name, n, err)
		}
	}
	if err := ZlibPrefix(make([]byte, len(want)+1), src); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("%s: prefix longer than the content: %v", name, err)
	}
}

// inputs are contents of many shapes: empty, tiny, text, incompressible,
// long runs, sizes around the limits of stored blocks.
func inputs(t testing.TB) map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	in := map[string][]byte{
		"empty":       {},
		"one byte":    {'x'},
		"two bytes":   {0, 255},
		"run of 1":    bytes.Repeat([]byte{'a'}, 100_000),
		"run of 3":    bytes.Repeat([]byte("abc"), 50_000),
		"run of 7":    bytes.Repeat([]byte("abcdefg"), 5_000),
		"random 1k":   random(1000),
		"random 64k-": random(65535),
		"random 64k":  random(65536),
		"random 64k+": random(65537),
		"random 200k": random(200_000),
		"text":        goText(t, 300_000),
		"text tail":   goText(t, 70_000)[12345:],
	}
	// Text and noise mixed: blocks of each kind in one stream.
	var mixed []byte
	for i := range 8 {
		mixed = append(mixed, goText(t, 20_000*(i+1))[20_000*i:]...)
		mixed = append(mixed, random(5000)...)
	}
	in["mixed"] = mixed
	// Many small files: what a git history is made of.
	for i, n := range []int{3, 10, 57, 100, 258, 259, 600, 1500, 4096} {
		in[fmt.Sprintf("small text %d", i)] = goText(t, 40_000)[3000 : 3000+n]
	}
	return in
}

// goText is n bytes of real text: the Go sources of the standard library.
func goText(t testing.TB, n int) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "net", "http", "*.go"))
	var b []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if b = append(b, data...); len(b) >= n {
			return b[:n]
		}
	}
	t.Fatalf("only %d bytes of Go source", len(b))
	return nil
}

func deflated(t testing.TB, data []byte, level int) []byte {
	t.Helper()
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, level)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

var levels = []int{zlib.HuffmanOnly, zlib.NoCompression, zlib.BestSpeed, 2, 3, 4, 5, zlib.DefaultCompression, 7, 8, zlib.BestCompression}

func TestRoundTrip(t *testing.T) {
	for name, data := range inputs(t) {
		for _, level := range levels {
			same(t, fmt.Sprintf("%s at level %d", name, level), deflated(t, data, level))
		}
	}
}

// TestSeveralBlocks: streams flushed between writes hold blocks of every
// kind, empty stored blocks included, not all of them final.
func TestSeveralBlocks(t *testing.T) {
	text := goText(t, 100_000)
	for _, level := range levels {
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, level)
		for i := 0; i < len(text); i += 7919 {
			zw.Write(text[i:min(i+7919, len(text))])
			zw.Flush()
		}
		zw.Close()
		same(t, fmt.Sprintf("flushed at level %d", level), z.Bytes())
	}
}

// TestTrailingBytes: what follows a stream is not read, and consumed says
// where the stream ended.
func TestTrailingBytes(t *testing.T) {
	z := deflated(t, goText(t, 5000), zlib.DefaultCompression)
	same(t, "trailing", append(z, "more data after the stream"...))
}

// TestGitObjects reads streams written by git itself (its zlib, not Go's):
// loose objects and the entries of a pack.
func TestGitObjects(t *testing.T) {
	dir := gitRepo(t, 12)
	loose, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "??", "*"))
	if len(loose) == 0 {
		t.Fatal("git wrote no loose objects")
	}
	for _, f := range loose {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		same(t, f, b)
	}
	git(t, dir, "repack", "-q", "-adf")
	streams := packStreams(t, dir)
	if len(streams) == 0 {
		t.Fatal("no pack entries")
	}
	for i, s := range streams {
		same(t, fmt.Sprintf("pack entry %d", i), s.z)
	}
}

// gitRepo makes a repository of commits changes deep in a tree of small
// files, like the histories a scan reads: trees and small deltas.
func gitRepo(t testing.TB, commits int) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	r := rand.New(rand.NewPCG(3, 4))
	text := string(goText(t, 200_000))
	for c := range commits {
		for range 5 {
			p := filepath.Join(dir, fmt.Sprintf("d%d", r.IntN(4)), fmt.Sprintf("e%d", r.IntN(5)), fmt.Sprintf("f%d.go", r.IntN(8)))
			os.MkdirAll(filepath.Dir(p), 0o755)
			at := r.IntN(len(text) - 5000)
			os.WriteFile(p, []byte(text[at:at+100+r.IntN(4000)]), 0o644)
		}
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", fmt.Sprint("change ", c))
	}
	return dir
}

func git(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestRawDeflate: flate streams wrapped here, so each kind of block and
// its writer's choices are reached through the zlib framing too.
func TestRawDeflate(t *testing.T) {
	for name, data := range inputs(t) {
		for _, level := range []int{flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
			var f bytes.Buffer
			fw, _ := flate.NewWriter(&f, level)
			fw.Write(data)
			fw.Close()
			same(t, fmt.Sprintf("%s raw at %d", name, level), wrap(f.Bytes(), data))
		}
	}
}

// TestTruncated: every strict prefix of a stream is refused, by the
// reference too.
func TestTruncated(t *testing.T) {
	for _, level := range []int{zlib.NoCompression, zlib.BestSpeed, zlib.DefaultCompression} {
		data := goText(t, 3000)
		z := deflated(t, data, level)
		for n := range len(z) {
			_, err := Zlib(make([]byte, len(data)), z[:n])
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("level %d, %d of %d bytes: %v", level, n, len(z), err)
			}
			if _, _, rerr := reference(z[:n], len(data)); rerr == nil {
				t.Fatalf("level %d, %d of %d bytes: the reference reads it", level, n, len(z))
			}
		}
	}
}

func TestEmptyPrefix(t *testing.T) {
	if err := ZlibPrefix(nil, []byte{0x78, 0x9c}); err != nil {
		t.Fatalf("no bytes asked for, a valid header: %v", err)
	}
	if err := ZlibPrefix(nil, []byte{0x78, 0x9d}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("no bytes asked for, a bad header: %v", err)
	}
	if _, err := referencePrefix([]byte{0x78, 0x9d}, 0); err == nil {
		t.Fatal("the reference reads a bad header")
	}
}

func TestErrorsName(t *testing.T) {
	_, err := Zlib(make([]byte, 10), deflated(t, []byte("0123456789a"), 6))
	if err == nil || !strings.Contains(err.Error(), "more than 10 bytes") {
		t.Fatalf("a stream one byte long: %v", err)
	}
}
