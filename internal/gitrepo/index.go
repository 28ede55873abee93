package gitrepo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// IndexEntry is one path of the index.
type IndexEntry struct {
	Path        string
	Mode        uint32
	Hash        Hash
	Stage       int  // 0 when merged; 1-3 during a conflict
	IntentToAdd bool // `git add -N`: a path recorded with no content
}

// Index is the parsed index: entries in path order, and the valid trees of
// its cache-tree extension, by directory ("" is the top), which say that
// everything under a directory is unchanged when the hash matches HEAD's.
type Index struct {
	Entries []IndexEntry
	Trees   map[string]Hash
}

// ErrSplitIndex is an index split in two files (core.splitIndex), which is
// not read.
var ErrSplitIndex = errors.New("split index not supported: run 'git update-index --no-split-index'")

// ReadIndex reads the index of this work tree. It is its own reader rather
// than go-git's, which allocates per entry, checks the file's hash and
// ignores the cache-tree: a commit hook must not pay for 5,000 unchanged
// paths.
//
// GIT_INDEX_FILE is honoured: `git commit -a` and `git commit PATH` run the
// pre-commit hook with a temporary index holding what is being committed.
func (r *Repo) ReadIndex() (*Index, error) {
	path := filepath.Join(r.GitDir, "index")
	if f := os.Getenv("GIT_INDEX_FILE"); f != "" {
		path = f
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Index{}, nil // nothing staged yet
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the index: %w", err)
	}
	idx, err := parseIndex(b)
	if err != nil {
		return nil, fmt.Errorf("failed to read the index: %w", err)
	}
	return idx, nil
}

var errCorruptIndex = errors.New("corrupt index")

func parseIndex(b []byte) (*Index, error) {
	if len(b) < 12+20 || string(b[:4]) != "DIRC" {
		return nil, errCorruptIndex
	}
	version := binary.BigEndian.Uint32(b[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("index version %d: %w", version, errCorruptIndex)
	}
	n := int(binary.BigEndian.Uint32(b[8:12]))
	end := len(b) - 20 // trailing checksum
	if n > len(b)/62 { // every entry takes at least 62 bytes
		return nil, errCorruptIndex
	}
	idx := &Index{Entries: make([]IndexEntry, 0, n)}
	p := 12
	var prev []byte
	for range n {
		if p+62 > end {
			return nil, errCorruptIndex
		}
		start := p
		e := IndexEntry{Mode: binary.BigEndian.Uint32(b[p+24 : p+28])}
		copy(e.Hash[:], b[p+40:p+60])
		flags := binary.BigEndian.Uint16(b[p+60 : p+62])
		e.Stage = int(flags>>12) & 3
		p += 62
		if flags&0x4000 != 0 { // extended flags (v3+)
			if p+2 > end {
				return nil, errCorruptIndex
			}
			ext := binary.BigEndian.Uint16(b[p : p+2])
			e.IntentToAdd = ext&0x2000 != 0
			p += 2
		}
		var name []byte
		if version == 4 {
			strip, k := varint(b[p:end])
			if k == 0 || strip < 0 || strip > len(prev) {
				return nil, errCorruptIndex
			}
			p += k
			nul := bytes.IndexByte(b[p:end], 0)
			if nul < 0 {
				return nil, errCorruptIndex
			}
			name = append(append(make([]byte, 0, len(prev)-strip+nul), prev[:len(prev)-strip]...), b[p:p+nul]...)
			p += nul + 1
		} else {
			nul := bytes.IndexByte(b[p:end], 0)
			if nul < 0 {
				return nil, errCorruptIndex
			}
			name = b[p : p+nul]
			// Entries are padded with 1-8 NULs to a multiple of 8 bytes.
			p = start + (p-start+nul+8)&^7
		}
		prev = name
		e.Path = string(name)
		idx.Entries = append(idx.Entries, e)
	}
	// Extensions until the checksum.
	for p+8 <= end {
		sig := string(b[p : p+4])
		size := int(binary.BigEndian.Uint32(b[p+4 : p+8]))
		p += 8
		if size < 0 || p+size > end {
			return nil, errCorruptIndex
		}
		data := b[p : p+size]
		p += size
		switch sig {
		case "TREE":
			idx.Trees = parseCacheTree(data)
		case "link":
			return nil, ErrSplitIndex
		}
	}
	return idx, nil
}

// parseCacheTree reads the TREE extension: in pre-order, each directory's
// name, entry count (-1 when invalidated), subtree count and, when valid,
// its tree id. A malformed extension is ignored: it only saves work.
func parseCacheTree(d []byte) map[string]Hash {
	trees := map[string]Hash{}
	type frame struct {
		path string
		left int
	}
	var stack []frame
	for len(d) > 0 {
		nul := bytes.IndexByte(d, 0)
		if nul < 0 {
			return nil
		}
		name := string(d[:nul])
		d = d[nul+1:]
		nl := bytes.IndexByte(d, '\n')
		if nl < 0 {
			return nil
		}
		cnt, sub, ok := bytes.Cut(d[:nl], []byte{' '})
		d = d[nl+1:]
		if !ok {
			return nil
		}
		count, err1 := strconv.Atoi(string(cnt))
		subtrees, err2 := strconv.Atoi(string(sub))
		if err1 != nil || err2 != nil {
			return nil
		}
		// Pop finished parents to find this node's path.
		for len(stack) > 0 && stack[len(stack)-1].left == 0 {
			stack = stack[:len(stack)-1]
		}
		path := name
		if len(stack) > 0 {
			stack[len(stack)-1].left--
			if parent := stack[len(stack)-1].path; parent != "" {
				path = parent + "/" + name
			}
		}
		if count >= 0 {
			if len(d) < 20 {
				return nil
			}
			var h Hash
			copy(h[:], d[:20])
			d = d[20:]
			trees[path] = h
		}
		stack = append(stack, frame{path, subtrees})
	}
	return trees
}

// varint is the index v4 (and pack offset) variable-length integer.
func varint(b []byte) (int, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v := int(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) {
			return 0, 0
		}
		if v > 1<<40 {
			return 0, 0 // no real length is this long
		}
		c = b[i]
		i++
		v = (v+1)<<7 | int(c&0x7f)
	}
	return v, i
}
