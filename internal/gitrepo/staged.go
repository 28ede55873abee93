package gitrepo

import "fmt"

// stageMerged is the stage of an entry with no conflict. go-git names it
// index.Merged but gives that constant the value 1, which is the conflict
// base; the decoder itself stores 0.
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

	head := map[string]Entry{}
	known := map[Hash]bool{}
	if err := r.Walk(headTree, func(p string, e Entry) error {
		head[p] = e
		known[e.Hash] = true
		return nil
	}); err != nil {
		return nil, o, err
	}
	o.Known = func(h Hash) bool { return known[h] }

	idx, err := r.Index()
	if err != nil {
		return nil, o, err
	}
	var changes []Change
	seen := make(map[string]bool, len(idx.Entries))
	for _, ie := range idx.Entries {
		seen[ie.Name] = true
		if ie.Stage != stageMerged || ie.IntentToAdd {
			continue
		}
		to := Entry{Name: ie.Name, Mode: uint32(ie.Mode), Hash: ie.Hash}
		from, inHead := head[ie.Name]
		if inHead && from.Hash == to.Hash && from.Mode == to.Mode {
			continue
		}
		changes = append(changes, Change{Path: ie.Name, From: from, To: to})
	}
	for p, e := range head {
		if !seen[p] {
			changes = append(changes, Change{Path: p, From: e})
		}
	}
	return changes, o, nil
}

// IndexBlobs maps each path staged in the index (merged, with content) to
// its blob, for scanning the staged version of named files.
func (r *Repo) IndexBlobs() (map[string]Entry, error) {
	idx, err := r.Index()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Entry, len(idx.Entries))
	for _, ie := range idx.Entries {
		if ie.Stage != stageMerged || ie.IntentToAdd {
			continue
		}
		m[ie.Name] = Entry{Name: ie.Name, Mode: uint32(ie.Mode), Hash: ie.Hash}
	}
	return m, nil
}
