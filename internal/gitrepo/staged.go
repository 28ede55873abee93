package gitrepo

import (
	"fmt"
	"strings"
)

// stageMerged is the stage of an entry with no conflict.
const stageMerged = 0

// Staged compares the index with HEAD's tree, never hashing the work tree
// (go-git's Worktree.Status does, which is far too slow for a hook). It
// returns the changes a commit made now would record, and the options that
// make Added report only what is new: during a merge (MERGE_HEAD) the other
// parents' trees, and the blobs HEAD already holds (copies).
//
// Unmerged entries are left out (git refuses to commit them), and so are
// intent-to-add entries, which record a path but no content.
func (r *Repo) Staged() ([]Change, AddedOptions, error) {
	var o AddedOptions
	var headTree Hash
	h, ok, err := r.Head()
	if err != nil {
		return nil, o, err
	}
	if ok {
		c, err := r.Commit(h)
		if err != nil {
			return nil, o, err
		}
		headTree = c.Tree
	}
	merges, err := r.MergeHeads()
	if err != nil {
		return nil, o, fmt.Errorf("failed to read MERGE_HEAD: %w", err)
	}
	for _, m := range merges {
		c, err := r.Commit(m)
		if err != nil {
			return nil, o, err
		}
		o.Others = append(o.Others, c.Tree)
	}

	idx, err := r.ReadIndex()
	if err != nil {
		return nil, o, err
	}
	var changes []Change
	emit := func(c Change) error {
		changes = append(changes, c)
		return nil
	}
	if err := r.stagedDir(headTree, "", idx.Entries, idx.Trees, emit); err != nil {
		return nil, o, err
	}
	// HEAD's blobs, for telling copies from new files, only if asked.
	var known map[Hash]bool
	o.Known = func(h Hash) bool {
		if known == nil {
			known = map[Hash]bool{}
			_ = r.Walk(headTree, func(_ string, e Entry) error {
				known[e.Hash] = true
				return nil
			})
		}
		return known[h]
	}
	return changes, o, nil
}

// stagedDir compares the index entries under prefix with tree, skipping
// every directory whose cache-tree entry says it equals HEAD's.
func (r *Repo) stagedDir(tree Hash, prefix string, ents []IndexEntry, trees map[string]Hash, emit func(Change) error) error {
	if h, ok := trees[strings.TrimSuffix(prefix, "/")]; ok && h == tree && !tree.IsZero() {
		return nil
	}
	t, err := r.Tree(tree)
	if err != nil {
		return err
	}
	te := t.Entries
	i, j := 0, 0
	for i < len(te) || j < len(ents) {
		// The next index group: one path (all its stages), or every
		// entry under one subdirectory.
		var key Entry
		k := j
		var sparse *IndexEntry // a sparse index's entry for the whole directory
		if j < len(ents) {
			rest := ents[j].Path[len(prefix):]
			if slash := strings.IndexByte(rest, '/'); slash >= 0 {
				key = Entry{Name: rest[:slash], Mode: ModeDir}
				dir := prefix + key.Name + "/"
				for k < len(ents) && strings.HasPrefix(ents[k].Path, dir) {
					if ents[k].Path == dir && ents[k].IsSparseDir() {
						sparse = &ents[k]
					}
					k++
				}
				if sparse != nil && k-j > 1 {
					return fmt.Errorf("index has both the sparse directory %s and paths under it: %w", dir, errCorruptIndex)
				}
			} else {
				key = Entry{Name: rest, Mode: ModeFile}
				for k < len(ents) && ents[k].Path == ents[j].Path {
					k++
				}
			}
		}
		var c int
		switch {
		case j == len(ents):
			c = -1
		case i == len(te):
			c = 1
		default:
			c = compareEntries(te[i], key)
		}
		switch {
		case c < 0: // in HEAD only: deleted
			if err := r.one(te[i], prefix, true, emit); err != nil {
				return err
			}
			i++
		case c > 0: // in the index only: added
			if sparse != nil {
				if err := r.one(Entry{Name: key.Name, Mode: ModeDir, Hash: sparse.Hash}, prefix, false, emit); err != nil {
					return err
				}
			} else {
				for _, e := range ents[j:k] {
					if e.Stage == stageMerged && !e.IntentToAdd {
						if err := emit(Change{Path: e.Path, To: Entry{Name: e.Path, Mode: e.Mode, Hash: e.Hash}}); err != nil {
							return err
						}
					}
				}
			}
			j = k
		default:
			h := te[i]
			i++
			group := ents[j:k]
			j = k
			if key.IsDir() {
				if sparse != nil {
					// Compared by tree id, and diffed only when it differs.
					if err := r.diffTree(h.Hash, sparse.Hash, prefix+key.Name+"/", emit); err != nil {
						return err
					}
					continue
				}
				if err := r.stagedDir(h.Hash, prefix+key.Name+"/", group, trees, emit); err != nil {
					return err
				}
				continue
			}
			e := group[0]
			if len(group) > 1 || e.Stage != stageMerged || e.IntentToAdd {
				continue // unmerged: git will not commit it
			}
			if e.Hash == h.Hash && e.Mode == h.Mode {
				continue
			}
			if err := emit(Change{Path: e.Path, From: Entry{Name: e.Path, Mode: h.Mode, Hash: h.Hash}, To: Entry{Name: e.Path, Mode: e.Mode, Hash: e.Hash}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// IndexBlobs maps each path staged in the index (merged, with content) to
// its blob, for scanning the staged version of named files.
func (r *Repo) IndexBlobs() (map[string]Entry, error) {
	idx, err := r.ReadIndex()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Entry, len(idx.Entries))
	for _, ie := range idx.Entries {
		if ie.Stage != stageMerged || ie.IntentToAdd {
			continue
		}
		if ie.IsSparseDir() {
			// A sparse index keeps a directory as one tree: its files are
			// staged as that tree holds them.
			err := r.Walk(ie.Hash, func(p string, e Entry) error {
				m[ie.Path+p] = Entry{Name: ie.Path + p, Mode: e.Mode, Hash: e.Hash}
				return nil
			})
			if err != nil {
				return nil, err
			}
			continue
		}
		m[ie.Path] = Entry{Name: ie.Path, Mode: ie.Mode, Hash: ie.Hash}
	}
	return m, nil
}
