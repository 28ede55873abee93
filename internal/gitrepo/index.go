package gitrepo

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// IndexEntry is one path of the index.
type IndexEntry struct {
	Path        string
	Mode        uint32
	Hash        Hash
	Stage       int  // 0 when merged; 1-3 during a conflict
	IntentToAdd bool // `git add -N`: a path recorded with no content
	// SkipWorktree marks a path outside a sparse checkout; with Mode
	// ModeDir and a Path ending in "/" the entry is a whole directory of a
	// sparse index, Hash its tree.
	SkipWorktree bool
}

// IsSparseDir reports whether e stands for a whole directory (a sparse
// index's entry for a directory outside the sparse checkout).
func (e IndexEntry) IsSparseDir() bool {
	return e.Mode == ModeDir && strings.HasSuffix(e.Path, "/")
}

// Index is the parsed index: entries in path order, and the valid trees of
// its cache-tree extension, by directory ("" is the top), which say that
// everything under a directory is unchanged when the hash matches HEAD's.
type Index struct {
	Entries []IndexEntry
	Trees   map[string]Hash
	extAt   int // where the extensions start, for tests
}

// ReadIndex reads the index of this work tree. It is its own reader rather
// than go-git's, which allocates per entry, checks the file's hash, ignores
// the cache-tree and reads neither a split nor a sparse index: a commit
// hook must not pay for 5,000 unchanged paths.
//
// GIT_INDEX_FILE is honoured: `git commit -a` and `git commit PATH` run the
// pre-commit hook with a temporary index holding what is being committed.
// A split index (core.splitIndex) is read with its shared index.
func (r *Repo) ReadIndex() (*Index, error) {
	path := filepath.Join(r.GitDir, "index")
	if f := os.Getenv("GIT_INDEX_FILE"); f != "" {
		path = f
	}
	b, unmap, err := mapIndex(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Index{}, nil // nothing staged yet
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the index: %w", err)
	}
	defer unmap() // parseIndex copies out everything it keeps
	idx, link, err := parseIndex(b)
	if err != nil {
		return nil, fmt.Errorf("failed to read the index %s: %w", path, err)
	}
	if link != nil && !link.base.IsZero() {
		if err := r.readShared(idx, link, path); err != nil {
			return nil, fmt.Errorf("failed to read the index %s: %w", path, err)
		}
	}
	return idx, nil
}

// mapIndex maps the index file rather than reading it: a hook reads a
// 5,000-path index (400 KB) on every commit, and copying it into fresh heap
// pages costs one page fault per 4 KB, where a mapping of the cached file
// costs one per 64 KB. git replaces the index by renaming a new file over
// it, never by writing in place, so the mapping stays whole.
func mapIndex(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b, unmap, err := mapFile(f)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { _ = unmap() }, nil
}

// readShared merges the shared index a split index names into idx, as git
// does: entries of the split file first replace the shared entries the
// replace bitmap marks, in order, then the delete bitmap drops shared
// entries, and the remaining split entries are added.
func (r *Repo) readShared(idx *Index, link *splitLink, indexPath string) error {
	name := "sharedindex." + link.base.String()
	b, unmap, err := mapIndex(filepath.Join(r.GitDir, name))
	if errors.Is(err, os.ErrNotExist) {
		// git also looks beside the index file (GIT_INDEX_FILE elsewhere).
		b, unmap, err = mapIndex(filepath.Join(filepath.Dir(indexPath), name))
	}
	if err != nil {
		return fmt.Errorf("split index: failed to read its shared index: %w", err)
	}
	defer unmap()
	if len(b) < 20 || !bytes.Equal(b[len(b)-20:], link.base[:]) {
		return fmt.Errorf("split index: %s does not end with its own id: %w", name, errCorruptIndex)
	}
	shared, l2, err := parseIndex(b)
	if err != nil {
		return fmt.Errorf("split index: %s: %w", name, err)
	}
	if l2 != nil {
		return fmt.Errorf("split index: %s is itself split: %w", name, errCorruptIndex)
	}
	merged, err := mergeSplit(shared.Entries, idx.Entries, link)
	if err != nil {
		return err
	}
	idx.Entries = merged
	return nil
}

func mergeSplit(base, split []IndexEntry, link *splitLink) ([]IndexEntry, error) {
	ents := slices.Clone(base)
	k := 0
	err := link.replace.each(func(pos int) error {
		if pos >= len(ents) || k >= len(split) || split[k].Path != "" {
			return fmt.Errorf("split index: bad replacement of entry %d: %w", pos, errCorruptIndex)
		}
		e := split[k]
		e.Path = ents[pos].Path
		ents[pos] = e
		k++
		return nil
	})
	if err != nil {
		return nil, err
	}
	drop := make([]bool, len(ents))
	err = link.delete.each(func(pos int) error {
		if pos >= len(ents) {
			return fmt.Errorf("split index: bad deletion of entry %d: %w", pos, errCorruptIndex)
		}
		drop[pos] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]IndexEntry, 0, len(ents)+len(split)-k)
	for i, e := range ents {
		if !drop[i] {
			out = append(out, e)
		}
	}
	for _, e := range split[k:] {
		if e.Path == "" {
			return nil, fmt.Errorf("split index: added entry with no name: %w", errCorruptIndex)
		}
		// An added entry replaces one of the same path and stage; a merged
		// one (stage 0) also replaces the path's conflict stages.
		out = slices.DeleteFunc(out, func(o IndexEntry) bool {
			return o.Path == e.Path && (o.Stage == e.Stage || e.Stage == stageMerged)
		})
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b IndexEntry) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Stage, b.Stage))
	})
	return out, nil
}

var errCorruptIndex = errors.New("corrupt index")

// splitLink is the link extension of a split index: the shared index's id
// and its two bitmaps.
type splitLink struct {
	base            Hash
	delete, replace ewah
}

func parseIndex(b []byte) (*Index, *splitLink, error) {
	if len(b) < 12+20 || string(b[:4]) != "DIRC" {
		return nil, nil, errCorruptIndex
	}
	version := binary.BigEndian.Uint32(b[4:8])
	if version < 2 || version > 4 {
		return nil, nil, fmt.Errorf("index version %d: %w", version, errCorruptIndex)
	}
	n := int(binary.BigEndian.Uint32(b[8:12]))
	end := len(b) - 20 // trailing checksum
	if n > len(b)/62 { // every entry takes at least 62 bytes
		return nil, nil, errCorruptIndex
	}
	idx := &Index{Entries: make([]IndexEntry, 0, n)}
	p := 12
	var prev []byte
	for range n {
		if p+62 > end {
			return nil, nil, errCorruptIndex
		}
		start := p
		e := IndexEntry{Mode: binary.BigEndian.Uint32(b[p+24 : p+28])}
		copy(e.Hash[:], b[p+40:p+60])
		flags := binary.BigEndian.Uint16(b[p+60 : p+62])
		e.Stage = int(flags>>12) & 3
		p += 62
		if flags&0x4000 != 0 { // extended flags (v3+)
			if p+2 > end {
				return nil, nil, errCorruptIndex
			}
			ext := binary.BigEndian.Uint16(b[p : p+2])
			e.IntentToAdd = ext&0x2000 != 0
			e.SkipWorktree = ext&0x4000 != 0
			p += 2
		}
		var name []byte
		if version == 4 {
			strip, k := varint(b[p:end])
			if k == 0 || strip < 0 || strip > len(prev) {
				return nil, nil, errCorruptIndex
			}
			p += k
			nul := bytes.IndexByte(b[p:end], 0)
			if nul < 0 {
				return nil, nil, errCorruptIndex
			}
			name = append(append(make([]byte, 0, len(prev)-strip+nul), prev[:len(prev)-strip]...), b[p:p+nul]...)
			p += nul + 1
		} else {
			// The name's length is in the flags, as git reads it, unless
			// it is too long for them.
			size := int(flags & 0xfff)
			if size == 0xfff {
				size = bytes.IndexByte(b[p:end], 0)
			}
			if size < 0 || p+size > end {
				return nil, nil, errCorruptIndex
			}
			name = b[p : p+size]
			// Entries are padded with 1-8 NULs to a multiple of 8 bytes.
			p = start + (p-start+size+8)&^7
			if p > end {
				return nil, nil, errCorruptIndex
			}
		}
		prev = name
		e.Path = string(name)
		idx.Entries = append(idx.Entries, e)
	}
	// Extensions until the checksum. An unknown one whose signature starts
	// with a capital letter is optional; any other is refused, as git
	// refuses it.
	idx.extAt = p
	var link *splitLink
	for p < end {
		if p+8 > end {
			return nil, nil, errCorruptIndex
		}
		sig := string(b[p : p+4])
		size := int(binary.BigEndian.Uint32(b[p+4 : p+8]))
		p += 8
		if size < 0 || size > end-p {
			return nil, nil, errCorruptIndex
		}
		data := b[p : p+size]
		p += size
		switch {
		case sig == "TREE":
			idx.Trees = parseCacheTree(data)
		case sig == "link":
			l, err := parseLink(data)
			if err != nil {
				return nil, nil, err
			}
			link = l
		case sig == "sdir":
			// A sparse index: its directory entries are handled by mode.
		case sig[0] < 'A' || sig[0] > 'Z':
			return nil, nil, fmt.Errorf("index extension %q is not understood: %w", sig, errCorruptIndex)
		}
	}
	return idx, link, nil
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
