package gitrepo

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// errNotLoose is an object in no object directory as a loose object.
var errNotLoose = errors.New("not a loose object")

// loose opens loose object h and reads its header ("blob 1234\0"); the
// returned reader yields the content. `git add` writes loose objects, so
// this is how a commit hook reads what is staged.
func (r *Repo) loose(h Hash) (plumbing.ObjectType, int64, io.Reader, func(), error) {
	hex := h.String()
	var f *os.File
	for _, dir := range r.objDirs {
		var err error
		if f, err = os.Open(filepath.Join(dir, hex[:2], hex[2:])); err == nil {
			break
		}
	}
	if f == nil {
		return 0, 0, nil, nil, errNotLoose
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, 0, nil, nil, err
	}
	typ, n, rd, closeZ, err := decodeLoose(bufio.NewReader(f), fi.Size())
	if err != nil {
		f.Close()
		return 0, 0, nil, nil, fmt.Errorf("loose object %s: %w", h, err)
	}
	return typ, n, rd, func() { closeZ(); f.Close() }, nil
}

// decodeLoose reads a loose object's header from its compressed stream of
// stored bytes; the returned reader yields the content.
func decodeLoose(src io.Reader, stored int64) (plumbing.ObjectType, int64, io.Reader, func(), error) {
	zr, err := inflater(src)
	if err != nil {
		return 0, 0, nil, nil, err
	}
	done := func() { zr.Close(); inflaters.Put(zr) }
	br := bufio.NewReaderSize(zr, 512)
	head, err := br.ReadSlice(0)
	if err != nil {
		done()
		return 0, 0, nil, nil, errors.New("corrupt header")
	}
	kind, size, ok := bytes.Cut(head[:len(head)-1], []byte{' '})
	n, err := strconv.ParseInt(string(size), 10, 64)
	typ, _ := plumbing.ParseObjectType(string(kind))
	// Only the four object types are stored loose, sizes are plain
	// decimal with no leading zero (as git parses them), and deflate expands at most ~1032 times: a larger claim is
	// corrupt and must not be allocated.
	if !ok || err != nil || len(size) == 0 || size[0] < '0' || size[0] > '9' || (size[0] == '0' && len(size) > 1) || !typ.Valid() || typ > plumbing.TagObject || n > (stored+64)*1032 {
		done()
		return 0, 0, nil, nil, errors.New("corrupt header")
	}
	return typ, n, br, done, nil
}

// inflaters keeps zlib readers for reuse: each holds a 32 KiB window and
// Huffman tables, and a history scan of an unpacked repository opens one
// per object.
var inflaters sync.Pool

func inflater(src io.Reader) (io.ReadCloser, error) {
	if zr, ok := inflaters.Get().(io.ReadCloser); ok {
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			return nil, err
		}
		return zr, nil
	}
	return zlib.NewReader(src)
}

// readLoose reads a whole loose object.
func (r *Repo) readLoose(h Hash) (plumbing.ObjectType, []byte, error) {
	typ, n, rd, done, err := r.loose(h)
	if err != nil {
		return 0, nil, err
	}
	defer done()
	b, err := readAll(rd, n)
	if err != nil {
		return 0, nil, fmt.Errorf("loose object %s: %w", h, err)
	}
	return typ, b, nil
}

// streamEnd checks that a zlib stream whose expected content has been read
// ends here with a valid checksum.
func streamEnd(zr io.Reader) error {
	var one [1]byte
	switch _, err := io.ReadFull(zr, one[:]); {
	case err == nil:
		return fmt.Errorf("inflated data longer than its header says: %w", errCorruptPack)
	case err != io.EOF:
		return fmt.Errorf("%w: %w", errCorruptPack, err)
	}
	return nil
}

// readAll reads the n bytes of content a loose object's header announced,
// and checks that the stream ends there with a valid checksum.
func readAll(rd io.Reader, n int64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(rd, b); err != nil {
		return nil, fmt.Errorf("content shorter than the %d bytes the header says: %w", n, err)
	}
	if err := streamEnd(rd); err != nil {
		return nil, err
	}
	return b, nil
}
