package gitcli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Staged compares the index with HEAD's tree (`git diff-index --cached`)
// and returns the changes a commit made now would record, each with the
// path in HEAD and, during a merge (MERGE_HEAD), in every merged commit;
// and options telling copies of HEAD's blobs from new content. Unmerged
// paths are left out: git refuses to commit them. Intent-to-add paths
// come with the empty blob, which adds no line.
func (r *Repo) Staged(ctx context.Context) ([]Change, AddedOptions, error) {
	var o AddedOptions
	head, ok, err := r.Head(ctx)
	if err != nil {
		return nil, o, err
	}
	if !ok {
		// An unborn branch: everything staged is new.
		out, err := r.output(ctx, []byte{}, "hash-object", "-t", "tree", "--stdin")
		if err != nil {
			return nil, o, err
		}
		head = strings.TrimSpace(string(out))
	}
	changes, err := r.diffIndex(ctx, head)
	if err != nil {
		return nil, o, err
	}
	merges, err := r.MergeHeads()
	if err != nil {
		return nil, o, err
	}
	for _, m := range merges {
		theirs, err := r.diffIndex(ctx, m)
		if err != nil {
			return nil, o, err
		}
		in := make(map[string]Entry, len(theirs))
		for _, c := range theirs {
			in[c.Path] = first(c.From)
		}
		for i, c := range changes {
			e, differs := in[c.Path]
			if !differs {
				e = c.To // the index holds the merged commit's version
			}
			changes[i].From = append(c.From, e)
		}
	}
	var known map[string]bool
	o.Known = func(id string) bool {
		if known == nil && ok {
			known = r.treeBlobs(ctx, head)
		}
		return known[id]
	}
	return changes, o, nil
}

// diffIndex is the raw diff from tree-ish to the index.
func (r *Repo) diffIndex(ctx context.Context, treeish string) ([]Change, error) {
	out, err := r.output(ctx, nil, "diff-index", "--cached", "-r", "-z", "--raw", "--no-renames",
		"--no-abbrev", "--no-ext-diff", "--no-textconv", "--ignore-submodules=none", treeish, "--")
	if err != nil {
		return nil, err
	}
	return rawChanges(out)
}

// rawChanges reads NUL-terminated raw diff output (":meta\0path\0"…),
// unmerged paths left out.
func rawChanges(out []byte) ([]Change, error) {
	toks := strings.Split(string(out), "\x00")
	var changes []Change
	for i := 0; i+1 < len(toks); i += 2 {
		meta, path := toks[i], toks[i+1]
		if !strings.HasPrefix(meta, ":") {
			return nil, fmt.Errorf("git printed %q where a raw diff line was expected", meta)
		}
		if strings.HasSuffix(meta, " U") {
			continue
		}
		c, err := parseRaw(meta, path)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// treeBlobs is the set of objects in a tree, recursively; nil when it
// cannot be read (then nothing counts as a copy).
func (r *Repo) treeBlobs(ctx context.Context, treeish string) map[string]bool {
	out, err := r.output(ctx, nil, "ls-tree", "-r", "-z", "--full-tree", treeish)
	if err != nil {
		return map[string]bool{}
	}
	m := map[string]bool{}
	for _, rec := range strings.Split(string(out), "\x00") {
		// "<mode> <type> <id>\t<path>"
		info, _, _ := strings.Cut(rec, "\t")
		if f := strings.Fields(info); len(f) == 3 {
			m[f[2]] = true
		}
	}
	return m
}

// emptyBlob is the id of the empty blob, which intent-to-add entries carry.
var emptyBlob = map[string]string{
	"sha1":   "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
	"sha256": "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813",
}

// IndexBlobs maps each path staged in the index (merged, stage 0, not
// intent-to-add) to its entry, for scanning the staged version of named
// files.
func (r *Repo) IndexBlobs(ctx context.Context) (map[string]Entry, error) {
	out, err := r.output(ctx, nil, "ls-files", "--stage", "-z", "--full-name")
	if err != nil {
		return nil, err
	}
	m := map[string]Entry{}
	empty := false
	for _, rec := range strings.Split(string(out), "\x00") {
		// "<mode> <id> <stage>\t<path>"
		info, path, ok := strings.Cut(rec, "\t")
		f := strings.Fields(info)
		if !ok || len(f) != 3 {
			continue
		}
		if f[2] != "0" {
			continue
		}
		mode, err := strconv.ParseUint(f[0], 8, 32)
		if err != nil {
			return nil, fmt.Errorf("git ls-files printed mode %q for %s", f[0], path)
		}
		m[path] = Entry{Mode: uint32(mode), ID: f[1]}
		empty = empty || f[1] == emptyBlob[r.Format]
	}
	if !empty {
		return m, nil
	}
	// Intent-to-add entries look like empty files; git diff-files lists
	// them as added.
	out, err = r.output(ctx, nil, "diff-files", "-z", "--name-only", "--diff-filter=A")
	if err != nil {
		return nil, err
	}
	for _, path := range strings.Split(string(out), "\x00") {
		delete(m, path)
	}
	return m, nil
}
