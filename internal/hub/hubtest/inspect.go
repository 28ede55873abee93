package hubtest

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// RepoFile is a file at the head of a repository's main branch.
type RepoFile struct {
	Size int64
	LFS  bool
	OID  string // sha256 for LFS files, the git blob sha1 for regular ones
	Data []byte // nil for LFS files in sink mode
}

// CommitInfo is one commit of a repository.
type CommitInfo struct {
	ID, Parent, Title, Message string
}

// kindOf turns "model", "models" or "" into the API's plural type.
func kindOf(repoType string) string {
	if repoType == "" {
		return "models"
	}
	if _, ok := repoKinds[repoType]; ok {
		return repoType
	}
	return repoType + "s"
}

// Files returns the files at the head of a repository, by path; nil when
// the repository does not exist.
func (h *Hub) Files(repoType, id string) map[string]RepoFile {
	s := &h.h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[repoKey(kindOf(repoType), id)]
	if !ok {
		return nil
	}
	out := map[string]RepoFile{}
	for p, e := range r.head().tree {
		out[p] = RepoFile{Size: e.size, LFS: e.lfs, OID: e.oid, Data: e.data}
	}
	return out
}

// Commits returns a repository's commits, oldest first (the first is the
// Hub's initial commit).
func (h *Hub) Commits(repoType, id string) []CommitInfo {
	s := &h.h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[repoKey(kindOf(repoType), id)]
	if !ok {
		return nil
	}
	var out []CommitInfo
	for _, c := range r.commits {
		out = append(out, CommitInfo{ID: c.id, Parent: c.parent, Title: c.title, Message: c.message})
	}
	return out
}

// Log returns every request the fake has seen, in the order they ended.
func (h *Hub) Log() []Request {
	f := h.h.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

// Count is how many requests of a kind were answered with a 2xx status.
func (h *Hub) Count(kind string) int {
	n := 0
	for _, r := range h.Log() {
		if r.Kind == kind && r.Status >= 200 && r.Status < 300 {
			n++
		}
	}
	return n
}

// WaitFor waits until n requests of a kind succeeded, or ctx ends.
func (h *Hub) WaitFor(ctx context.Context, kind string, n int) error {
	for h.Count(kind) < n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waited for %d successful %s requests, saw %d: %w", n, kind, h.Count(kind), ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// AddFault adds a fault rule from now on.
func (h *Hub) AddFault(f Fault) { h.h.faults.add(f) }

// ClearFaults removes every fault rule.
func (h *Hub) ClearFaults() {
	f := h.h.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}
