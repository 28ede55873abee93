package gitrepo

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/objfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// The decoders are fuzzed against go-git's, an implementation we did not
// write: for the same bytes both must give the same result, or both
// refuse. Where go-git is laxer than git (it returns an object shorter or
// longer than its header says), git's rule is applied to its result. The
// seeds come from files real git wrote.

// gitSeeds builds a small repository with git and returns the files of its
// objects directory: loose objects, packs and indexes (v2, v2 with 64-bit
// offsets, v1).
func gitSeeds(f *testing.F) (loose, packs, idxs [][]byte) {
	f.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		return // the hand-written seeds only
	}
	dir := f.TempDir()
	run := func(args ...string) {
		cmd := gitCmd(dir, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			f.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	content := strings.Repeat("a line that changes a little\n", 40)
	for v := range 4 {
		content = strings.Replace(content, "a line", fmt.Sprintf("line %d", v), 1)
		os.WriteFile(filepath.Join(dir, "f.txt"), []byte(content), 0o644)
		run("add", ".")
		run("commit", "-q", "-m", fmt.Sprint(v))
	}
	read := func(glob string) [][]byte {
		ms, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", glob))
		var out [][]byte
		for _, m := range ms {
			b, err := os.ReadFile(m)
			if err == nil {
				out = append(out, b)
			}
		}
		return out
	}
	loose = read("??/*")
	run("repack", "-q", "-adf")
	packs = read("pack/*.pack")
	idxs = read("pack/*.idx")
	ps, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	run("index-pack", "--index-version=2,0x20", "-o", filepath.Join(dir, "large.idx"), ps[0])
	run("index-pack", "--index-version=1", "-o", filepath.Join(dir, "v1.idx"), ps[0])
	for _, n := range []string{"large.idx", "v1.idx"} {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		idxs = append(idxs, b)
	}
	return loose, packs, idxs
}

func gitCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	return cmd
}

// FuzzPackIndex reads an index with ours and go-git's decoder: both refuse,
// or both find every object at the same offset. go-git reads version 2
// only: a version 1 index is compared through the version 2 index holding
// the same entries.
func FuzzPackIndex(f *testing.F) {
	_, _, idxs := gitSeeds(f)
	for _, b := range idxs {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// git does not verify an index's own checksum when it reads one
		// (only fsck and verify-pack do), and neither do we: a commit hook
		// must not hash a large index. go-git does, so the checksum is made
		// right and the fuzzer explores the content.
		data = withChecksum(data)
		ours, err := parsePackIndex(data)
		v2 := data
		if err == nil && ours.stride == 24 {
			v2 = indexV2(ours)
		}
		theirs := idxfile.NewMemoryIndex()
		gerr := idxfile.NewDecoder(sizedReader{bytes.NewReader(v2)}).Decode(theirs)
		if ours == nil {
			if gerr == nil && err == nil {
				t.Fatal("unreachable")
			}
			if gerr == nil && isV2(data) {
				n, _ := theirs.Count()
				t.Fatalf("we refuse an index go-git reads (%d objects): %v", n, err)
			}
			return
		}
		if gerr != nil {
			// go-git wants exactly as many 64-bit offsets as entries point
			// to; git accepts a larger table (up to n-1 entries) and fails
			// only when an object's entry points past it, as we do.
			if why := largeTableMismatch(ours); why != "" {
				return
			}
			t.Fatalf("we read an index go-git refuses: %v", gerr)
		}
		n, _ := theirs.Count()
		if int64(ours.n) != n {
			t.Fatalf("%d objects, go-git %d", ours.n, n)
		}
		it, err := theirs.Entries()
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := it.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			off, ok := ours.find(e.Hash)
			if !ok || uint64(off) != e.Offset {
				// Unsorted names are found by neither binary search alike:
				// compare with go-git's own lookup.
				goff, gerr := theirs.FindOffset(e.Hash)
				if gerr == nil && (!ok || off != goff) {
					t.Fatalf("%s at %d (%v), go-git %d", e.Hash, off, ok, goff)
				}
			}
		}
	})
}

// sizedReader lets go-git's decoder check the claimed object count against
// the size before allocating for it, as it does for a file.
type sizedReader struct{ *bytes.Reader }

func (r sizedReader) Stat() (os.FileInfo, error) { return sizedInfo(r.Size()), nil }

type sizedInfo int64

func (s sizedInfo) Name() string       { return "idx" }
func (s sizedInfo) Size() int64        { return int64(s) }
func (s sizedInfo) Mode() os.FileMode  { return 0o444 }
func (s sizedInfo) ModTime() time.Time { return time.Time{} }
func (s sizedInfo) IsDir() bool        { return false }
func (s sizedInfo) Sys() any           { return nil }

// largeTableMismatch says how an index's 64-bit offset table differs from
// what its entries use ("" when it is exactly that).
func largeTableMismatch(ix *packIndex) string {
	if ix.stride == 24 {
		return ""
	}
	used := 0
	for i := range ix.n {
		if off, _ := ix.offset(i); off < 0 {
			return "an entry points past the table"
		}
		if binary.BigEndian.Uint32(ix.offsets[i*4:])&0x80000000 != 0 {
			used++
		}
	}
	if used*8 != len(ix.large) {
		return "the table holds entries no object uses"
	}
	return ""
}

func isV2(b []byte) bool { return bytes.HasPrefix(b, []byte("\xfftOc\x00\x00\x00\x02")) }

// indexV2 writes the version 2 index holding ix's entries (CRCs zero).
func indexV2(ix *packIndex) []byte {
	var b bytes.Buffer
	b.WriteString("\xfftOc\x00\x00\x00\x02")
	b.Write(ix.fanout)
	for i := range ix.n {
		b.Write(ix.names[i*ix.stride : i*ix.stride+20])
	}
	b.Write(make([]byte, 4*ix.n))
	for i := range ix.n {
		off, _ := ix.offset(i)
		binary.Write(&b, binary.BigEndian, uint32(off))
	}
	b.Write(ix.data[len(ix.data)-40:])
	return withChecksum(b.Bytes())
}

// withChecksum sets an index's last 20 bytes to the SHA-1 of the rest.
func withChecksum(b []byte) []byte {
	if len(b) < 20 {
		return b
	}
	b = bytes.Clone(b)
	sum := sha1.Sum(b[:len(b)-20])
	copy(b[len(b)-20:], sum[:])
	return b
}

// FuzzPatchDelta applies a delta with ours and go-git's PatchDelta.
func FuzzPatchDelta(f *testing.F) {
	f.Add([]byte("hello"), []byte{5, 8, 0x91, 0, 5, 3, 'a', 'b', 'c'})
	f.Add([]byte("hello"), []byte{5, 11, 0x90, 5, 0x90, 3, 3, 'a', 'b', 'c'})
	_, packs, _ := gitSeeds(f)
	for _, pk := range packs {
		for _, d := range deltasOf(pk) {
			f.Add(d[0], d[1])
		}
	}
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := patchDelta(base, delta, newBuffer)
		want, gerr := packfile.PatchDelta(base, delta)
		switch {
		case err != nil && gerr != nil:
		case err != nil && len(delta) < 4:
			// git refuses a delta under 4 bytes (DELTA_SIZE_MIN), as we
			// do; go-git applies one with no target size as empty.
		case err != nil:
			t.Fatalf("we refuse a delta go-git applies (%d bytes out): %v", len(want), err)
		case gerr != nil:
			t.Fatalf("we apply a delta go-git refuses: %v", gerr)
		case !bytes.Equal(out, want):
			t.Fatalf("%d bytes out, go-git %d", len(out), len(want))
		}
	})
}

// deltasOf returns (base, delta) pairs of a pack's ofs-deltas whose base is
// stored whole.
func deltasOf(data []byte) [][2][]byte {
	p := newPacks(NewCache(1 << 20))
	p.files = []*pack{{data: data, idx: emptyIndex()}}
	var out [][2][]byte
	sc := packfile.NewScanner(bytes.NewReader(data))
	if _, _, err := sc.Header(); err != nil {
		return nil
	}
	for {
		h, err := sc.NextObjectHeader()
		if err != nil {
			return out
		}
		var d bytes.Buffer
		if _, _, err := sc.NextObject(&d); err != nil {
			return out
		}
		if h.Type == plumbing.OFSDeltaObject {
			if _, base, err := p.at(0, h.OffsetReference, 0); err == nil {
				out = append(out, [2][]byte{base, d.Bytes()})
			}
		}
	}
}

// FuzzPackEntry reads one whole (not delta) pack entry with ours and with
// go-git's scanner. git refuses an entry whose stream inflates to another
// size than its header's, so go-git's result counts only when it matches.
func FuzzPackEntry(f *testing.F) {
	_, packs, _ := gitSeeds(f)
	for _, pk := range packs {
		for _, e := range entriesOf(pk) {
			f.Add(e)
		}
	}
	f.Add([]byte{0x35, 0x78, 0x9c, 0x4b, 0x4c, 0x4a, 0x06, 0x00, 0x02, 0x4d, 0x01, 0x27})
	f.Add([]byte("\x03x\x9cKLJ\x060\x02M\x01'")) // type 0: go-git reads it, git does not
	f.Fuzz(func(t *testing.T, entry []byte) {
		pk := append([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01"), entry...)
		pk = append(pk, make([]byte, 20)...) // trailer
		sc := packfile.NewScanner(bytes.NewReader(pk))
		if _, _, err := sc.Header(); err != nil {
			t.Fatal(err)
		}
		h, herr := sc.NextObjectHeader()
		if herr == nil && h.Type.IsDelta() {
			return // deltas: FuzzPatchDelta
		}
		var want bytes.Buffer
		var gerr error
		if herr != nil {
			gerr = herr
		} else if h.Type < plumbing.CommitObject || h.Type > plumbing.TagObject {
			// git knows types 1-4 and the two deltas; go-git's scanner also
			// reads 0 and 5, which git refuses ("invalid object type").
			gerr = fmt.Errorf("object type %d", h.Type)
		} else if _, _, gerr = sc.NextObject(&want); gerr == nil && int64(want.Len()) != h.Length {
			gerr = fmt.Errorf("go-git inflated %d bytes for a header of %d", want.Len(), h.Length)
		}
		p := newPacks(NewCache(1 << 20))
		p.files = []*pack{{data: pk, idx: emptyIndex()}}
		typ, got, err := p.at(0, 12, 0)
		switch {
		case err != nil && gerr != nil:
		case err != nil:
			t.Fatalf("we refuse an entry go-git reads (a %s of %d bytes): %v", h.Type, want.Len(), err)
		case gerr != nil:
			t.Fatalf("we read an entry go-git refuses: %v", gerr)
		case typ != h.Type || !bytes.Equal(got, want.Bytes()):
			t.Fatalf("a %s of %d bytes, go-git a %s of %d", typ, len(got), h.Type, want.Len())
		}
	})
}

// entriesOf cuts a pack into its entries (the bytes from one entry's start
// to the next's).
func entriesOf(pk []byte) [][]byte {
	sc := packfile.NewScanner(bytes.NewReader(pk))
	if _, _, err := sc.Header(); err != nil {
		return nil
	}
	var offs []int64
	for {
		h, err := sc.NextObjectHeader()
		if err != nil {
			break
		}
		offs = append(offs, h.Offset)
		if _, _, err := sc.NextObject(io.Discard); err != nil {
			break
		}
	}
	offs = append(offs, int64(len(pk)-20))
	var out [][]byte
	for i := 0; i+1 < len(offs); i++ {
		out = append(out, pk[offs[i]:offs[i+1]])
	}
	return out
}

// FuzzLooseObject reads a loose object file with ours and go-git's objfile
// reader. git refuses content whose length differs from the header's, and
// a stream whose checksum fails: go-git's result counts only then.
func FuzzLooseObject(f *testing.F) {
	loose, _, _ := gitSeeds(f)
	for _, b := range loose {
		f.Add(b)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("blob 5\x00hello"))
	zw.Close()
	f.Add(z.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, n, rd, done, err := decodeLoose(bytes.NewReader(data), int64(len(data)))
		var got []byte
		if err == nil {
			got, err = readAll(rd, n)
			done()
		}
		var want []byte
		var gtyp plumbing.ObjectType
		or, gerr := objfile.NewReader(bytes.NewReader(data))
		if gerr == nil {
			var size int64
			if gtyp, size, gerr = or.Header(); gerr == nil {
				if !validLooseHeader(data) {
					gerr = fmt.Errorf("header git refuses")
				} else if want, gerr = io.ReadAll(or); gerr == nil && int64(len(want)) != size {
					gerr = fmt.Errorf("go-git read %d bytes for a header of %d", len(want), size)
				}
			}
			or.Close()
		}
		switch {
		case err != nil && gerr != nil:
		case err != nil:
			t.Fatalf("we refuse an object go-git reads (a %s of %d bytes): %v", gtyp, len(want), err)
		case gerr != nil:
			t.Fatalf("we read an object go-git refuses: %v", gerr)
		case typ != gtyp || !bytes.Equal(got, want):
			t.Fatalf("a %s of %d bytes, go-git a %s of %d", typ, len(got), gtyp, len(want))
		}
	})
}

// validLooseHeader is git's rule for a loose header (object-file.c
// parse_loose_header): one of the four type names, a space, a decimal
// size with no sign and no leading zero, a NUL.
func validLooseHeader(data []byte) bool {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return false
	}
	head := make([]byte, 64)
	n, _ := io.ReadFull(zr, head)
	head = head[:n]
	i := bytes.IndexByte(head, 0)
	if i < 0 {
		return false
	}
	kind, size, ok := strings.Cut(string(head[:i]), " ")
	if !ok || size == "" || (size[0] == '0' && len(size) > 1) || size[0] < '0' || size[0] > '9' {
		return false
	}
	if _, err := strconv.ParseInt(size, 10, 64); err != nil {
		return false
	}
	switch kind {
	case "commit", "tree", "blob", "tag":
		return true
	}
	return false
}

// emptyIndex indexes nothing: a ref-delta's base is then not found.
func emptyIndex() *packIndex {
	return &packIndex{fanout: make([]byte, 256*4), stride: 20}
}
