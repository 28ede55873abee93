package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gitIn runs git in dir with extra environment and returns its stdout.
func gitIn(t *testing.T, dir string, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = main\n"), 0o644)
	cmd.Env = append(append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.Bytes())
	}
	return out
}

type gitObject struct {
	typ  string
	data []byte
}

// allObjects is every object git can read in dir (alternates included),
// as `git cat-file --batch-all-objects --batch` prints them.
func allObjects(t *testing.T, dir string, env ...string) map[Hash]gitObject {
	t.Helper()
	out := gitIn(t, dir, env, "cat-file", "--batch-all-objects", "--batch")
	objs := map[Hash]gitObject{}
	rd := bufio.NewReader(bytes.NewReader(out))
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			break
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("cat-file line %q", line)
		}
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1)
		if _, err := io.ReadFull(rd, data); err != nil {
			t.Fatal(err)
		}
		h, _ := ParseHash(f[0])
		objs[h] = gitObject{f[1], data[:n]}
	}
	if len(objs) == 0 {
		t.Fatal("git listed no object")
	}
	return objs
}

// sameObjects opens dir and reads every object git reads there, through
// the reader the scanners use, comparing type and bytes.
func sameObjects(t *testing.T, dir string, env ...string) *Repo {
	t.Helper()
	want := allObjects(t, dir, env...)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	r, err := Open(dir, Options{ObjectCache: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	for h, o := range want {
		typ, data, err := r.read(h, 0)
		if err != nil {
			t.Fatalf("%s %s: %v", o.typ, h, err)
		}
		if typ.String() != o.typ || !bytes.Equal(data, o.data) {
			t.Fatalf("%s %s: read a %s of %d bytes, git shows a %s of %d", o.typ, h, typ, len(data), o.typ, len(o.data))
		}
		if o.typ == "blob" {
			if n, err := r.BlobSize(h); err != nil || n != int64(len(o.data)) {
				t.Fatalf("blob %s: size %d, %v; git shows %d", h, n, err, len(o.data))
			}
		}
	}
	return r
}

// history makes a repository with some packed and some loose objects.
func history(t *testing.T, dir string, commits int) {
	t.Helper()
	runGit(t, dir, "init", "-q")
	var body strings.Builder
	for i := range 200 {
		fmt.Fprintf(&body, "line %d of a file that changes a little each commit\n", i)
	}
	content := body.String()
	for v := range commits {
		content = strings.Replace(content, fmt.Sprintf("line %d ", v*7), fmt.Sprintf("LINE %d (v%d) ", v*7, v), 1)
		os.WriteFile(filepath.Join(dir, "big.txt"), []byte(content), 0o644)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", v)), []byte(fmt.Sprintf("file %d\n", v)), 0o644)
		runGit(t, dir, "add", ".")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint("v", v))
		if v == commits/2 {
			runGit(t, dir, "repack", "-q", "-d")
		}
	}
}

func requireGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
}

// TestAlternates reads clones that borrow objects: --shared, --reference,
// a chain of three (C borrows from B, which borrows from A) and a relative
// path in objects/info/alternates, comparing every object with git.
func TestAlternates(t *testing.T) {
	requireGit(t)
	base := t.TempDir()
	a := filepath.Join(base, "a")
	os.Mkdir(a, 0o755)
	history(t, a, 6)

	runGit(t, base, "clone", "-q", "--shared", a, "shared")
	runGit(t, base, "clone", "-q", "--reference", a, "file://"+a, "reference")
	// B borrows from A and adds commits; C borrows from B.
	runGit(t, base, "clone", "-q", "--shared", a, "b")
	b := filepath.Join(base, "b")
	os.WriteFile(filepath.Join(b, "b.txt"), []byte("only in b\n"), 0o644)
	runGit(t, b, "add", ".")
	runGit(t, b, "commit", "-q", "-m", "b")
	runGit(t, base, "clone", "-q", "--shared", b, "c")
	c := filepath.Join(base, "c")
	os.WriteFile(filepath.Join(c, "c.txt"), []byte("only in c\n"), 0o644)
	runGit(t, c, "add", ".")
	runGit(t, c, "commit", "-q", "-m", "c")
	// A relative entry is relative to the objects directory holding it.
	runGit(t, base, "clone", "-q", "--shared", a, "relative")
	os.WriteFile(filepath.Join(base, "relative", ".git", "objects", "info", "alternates"), []byte("../../../a/.git/objects\n"), 0o644)

	for _, name := range []string{"shared", "reference", "b", "c", "relative"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(base, name)
			r := sameObjects(t, dir)
			// Revisions resolve through the borrowed objects too.
			want := strings.TrimSpace(string(gitIn(t, dir, nil, "rev-parse", "origin/main~2")))
			h, err := r.Resolve("origin/main~2")
			if err != nil || h.String() != want {
				t.Errorf("Resolve(origin/main~2) = %s, %v; git says %s", h, err, want)
			}
		})
	}
	// C's chain is C, B, A, in that order.
	r, err := Open(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.objDirs) != 3 || !strings.HasSuffix(r.objDirs[1], filepath.Join("b", ".git", "objects")) || !strings.HasSuffix(r.objDirs[2], filepath.Join("a", ".git", "objects")) {
		t.Errorf("object directories %q", r.objDirs)
	}
}

// TestObjectDirectoryEnvironment moves a repository's objects elsewhere and
// points git at them with GIT_OBJECT_DIRECTORY, then splits them over
// GIT_ALTERNATE_OBJECT_DIRECTORIES.
func TestObjectDirectoryEnvironment(t *testing.T) {
	requireGit(t)
	base := t.TempDir()
	a := filepath.Join(base, "a")
	os.Mkdir(a, 0o755)
	history(t, a, 4)
	moved := filepath.Join(base, "moved-objects")
	if err := os.Rename(filepath.Join(a, ".git", "objects"), moved); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(a, ".git", "objects", "pack"), 0o755)
	t.Run("GIT_OBJECT_DIRECTORY", func(t *testing.T) {
		sameObjects(t, a, "GIT_OBJECT_DIRECTORY="+moved)
	})
	t.Run("GIT_ALTERNATE_OBJECT_DIRECTORIES", func(t *testing.T) {
		empty := filepath.Join(base, "empty")
		os.MkdirAll(empty, 0o755)
		r := sameObjects(t, a, "GIT_ALTERNATE_OBJECT_DIRECTORIES="+empty+string(os.PathListSeparator)+moved)
		if len(r.objDirs) != 3 || r.objDirs[1] != empty || r.objDirs[2] != moved {
			t.Errorf("object directories %q", r.objDirs)
		}
	})
	t.Run("without", func(t *testing.T) {
		r, err := Open(a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		h, _, _ := r.Head()
		if _, err := r.Commit(h); !errors.Is(err, ErrMissingObject) {
			t.Errorf("commit with its objects moved away: %v, want a missing object", err)
		}
	})
}

func TestQuotedAlternateRefused(t *testing.T) {
	requireGit(t)
	base := t.TempDir()
	a := filepath.Join(base, "a")
	os.Mkdir(a, 0o755)
	history(t, a, 1)
	os.WriteFile(filepath.Join(a, ".git", "objects", "info", "alternates"), []byte(`"/some/where:with colon"`+"\n"), 0o644)
	_, err := Open(a, Options{})
	if !errors.Is(err, ErrUseGit) || !strings.Contains(err.Error(), "alternates") {
		t.Errorf("Open = %v, want a refusal naming the alternates file", err)
	}
}

func TestMissingAlternateNamed(t *testing.T) {
	requireGit(t)
	a := t.TempDir()
	history(t, a, 1)
	os.WriteFile(filepath.Join(a, ".git", "objects", "info", "alternates"), []byte("/nonexistent/objects\n"), 0o644)
	_, err := Open(a, Options{})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/objects") {
		t.Errorf("Open = %v, want an error naming the missing alternate", err)
	}
}

// TestPackShapes reads packs git writes in every shape it can: index
// version 1, 64-bit offsets, a multi-pack-index, and compares every object
// with git.
func TestPackShapes(t *testing.T) {
	requireGit(t)
	for _, shape := range []struct {
		name string
		do   func(t *testing.T, dir string)
	}{
		{"idx-v1", func(t *testing.T, dir string) {
			runGit(t, dir, "-c", "pack.indexVersion=1", "repack", "-q", "-adf")
			idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
			if b, _ := os.ReadFile(idxs[0]); bytes.HasPrefix(b, []byte("\xfftOc")) {
				t.Fatal("git wrote a version 2 index")
			}
		}},
		{"64-bit-offsets", func(t *testing.T, dir string) {
			runGit(t, dir, "repack", "-q", "-adf")
			packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			idx := strings.TrimSuffix(packs[0], ".pack") + ".idx"
			os.Remove(idx)
			// Objects past offset 0x20 go in the 64-bit table.
			runGit(t, dir, "index-pack", "--index-version=2,0x20", "-o", idx, packs[0])
		}},
		{"multi-pack-index", func(t *testing.T, dir string) {
			runGit(t, dir, "repack", "-q", "-d")
			runGit(t, dir, "multi-pack-index", "write")
			runGit(t, dir, "repack", "-q", "-ad", "--write-midx")
		}},
	} {
		t.Run(shape.name, func(t *testing.T) {
			dir := t.TempDir()
			history(t, dir, 8)
			shape.do(t, dir)
			r := sameObjects(t, dir)
			if len(r.packs.files) == 0 {
				t.Fatal("no pack mapped")
			}
		})
	}
}

// TestUnreadablePackNamed breaks a pack's index: an object that may be in
// that pack is an error naming the file, never a missing object (which
// history scans could be told to accept) and never silence.
func TestUnreadablePackNamed(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	history(t, dir, 3)
	runGit(t, dir, "repack", "-q", "-adf")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	os.Chmod(idxs[0], 0o644)
	if err := os.WriteFile(idxs[0], []byte("\xfftOc\x00\x00\x00\x02 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, _, _ := r.Head()
	_, err = r.Commit(h)
	if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrMissingObject) || !strings.Contains(err.Error(), idxs[0]) {
		t.Errorf("reading through a broken index: %v", err)
	}
}

// TestCorruptObjectsRefused flips one byte of a blob's content where it is
// stored uncompressed (level 0 keeps the bytes literal), in a pack and as
// a loose object: git refuses both, and so must we.
func TestCorruptObjectsRefused(t *testing.T) {
	requireGit(t)
	secret := []byte("this content is stored literally so that one byte can be flipped\n")
	setup := func(t *testing.T) (string, Hash) {
		dir := t.TempDir()
		runGit(t, dir, "init", "-q")
		os.WriteFile(filepath.Join(dir, "s.txt"), secret, 0o644)
		runGit(t, dir, "-c", "core.compression=0", "add", ".")
		runGit(t, dir, "commit", "-q", "-m", "s")
		h, _ := ParseHash(strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD:s.txt")))
		return dir, h
	}
	flip := func(t *testing.T, file string) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(b, []byte("flipped"))
		if i < 0 {
			t.Fatalf("%s does not hold the content literally", file)
		}
		b[i] ^= 0x20
		os.Chmod(file, 0o644)
		os.WriteFile(file, b, 0o644)
	}
	check := func(t *testing.T, dir string, h Hash) {
		if err := exec.Command("git", "-C", dir, "cat-file", "-p", h.String()).Run(); err == nil {
			t.Fatal("git reads the flipped object: the test corrupts nothing")
		}
		r, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if b, _, err := r.Blob(h, 0); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), h.String()) {
			t.Errorf("Blob = %q, %v; want ErrCorrupt naming the blob", b, err)
		}
	}
	t.Run("pack", func(t *testing.T) {
		dir, h := setup(t)
		runGit(t, dir, "-c", "pack.compression=0", "repack", "-q", "-adf")
		packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
		flip(t, packs[0])
		check(t, dir, h)
	})
	t.Run("loose", func(t *testing.T) {
		dir, h := setup(t)
		flip(t, filepath.Join(dir, ".git", "objects", h.String()[:2], h.String()[2:]))
		check(t, dir, h)
	})
}

// TestPartialClone reads a blob:none clone: blobs missing locally are
// fetched from the promisor remote as git does, and when the remote is
// gone the error names the object and the command that fetches it.
func TestPartialClone(t *testing.T) {
	requireGit(t)
	base := t.TempDir()
	src := filepath.Join(base, "src")
	os.Mkdir(src, 0o755)
	history(t, src, 4)
	runGit(t, src, "config", "uploadpack.allowFilter", "true")
	runGit(t, base, "clone", "-q", "--no-checkout", "--filter=blob:none", "file://"+src, "clone")
	clone := filepath.Join(base, "clone")
	var blobs []Hash
	for _, f := range strings.Fields(string(gitIn(t, clone, nil, "rev-list", "--objects", "--all", "--missing=print"))) {
		if h, ok := ParseHash(strings.TrimPrefix(f, "?")); ok && f[0] == '?' {
			blobs = append(blobs, h)
		}
	}
	if len(blobs) < 4 {
		t.Fatalf("the clone lacks only %d blobs", len(blobs))
	}
	r, err := Open(clone, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := strings.TrimSpace(string(gitIn(t, src, nil, "cat-file", "-p", blobs[0].String()))) + "\n"
	got, _, err := r.Blob(blobs[0], 0)
	if err != nil || string(got) != want {
		t.Fatalf("Blob of a promised object = %d bytes, %v", len(got), err)
	}
	if n, err := r.BlobSize(blobs[1]); err != nil || n <= 0 {
		t.Fatalf("BlobSize of a promised object = %d, %v", n, err)
	}
	// Prefetch brings several in one fetch.
	r.Prefetch(blobs[2:4])
	for _, h := range blobs[2:4] {
		if !r.has(h) {
			t.Errorf("blob %s not fetched by Prefetch", h)
		}
	}
	blobs = append(blobs[:2], blobs[4:]...)
	if len(blobs) < 3 {
		t.Fatal("no blob left to miss")
	}

	// With the remote gone, the error says what is missing and how to get it.
	os.Rename(src, src+".gone")
	_, _, err = r.Blob(blobs[2], 0)
	if !errors.Is(err, ErrMissingObject) || !strings.Contains(err.Error(), blobs[2].String()) || !strings.Contains(err.Error(), "fetch origin") {
		t.Errorf("Blob with the promisor remote gone: %v", err)
	}
}
