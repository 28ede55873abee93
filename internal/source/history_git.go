package source

import (
	"context"
	"fmt"

	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// gitHistory is what a history read through git's plumbing leaves for
// Earliest: each commit's rank, parents before children, otherwise the
// earlier committer date first.
type gitHistory struct {
	ranks map[string]int
}

func (h *gitHistory) rank(commit string) int {
	if r, ok := h.ranks[commit]; ok {
		return r
	}
	return len(h.ranks)
}

// fragmentsViaGit is Fragments for a repository the fast reader hands to
// git (SHA-256): the commits and their changed paths from one streaming
// `git log --raw -c`, blobs from `git cat-file --batch`, the added lines by
// the fast reader's own rules, so both report the same lines.
func (s *History) fragmentsViaGit(ctx context.Context, yield func(scan.Fragment) error) error {
	r, err := gitcli.Open(ctx, dirOr(s.Dir))
	if err != nil {
		return err
	}
	defer r.Close()
	revs, err := s.gitRevisions(ctx, r)
	if err != nil {
		return err
	}
	h := &gitHistory{ranks: map[string]int{}}
	if len(revs) == 0 {
		s.git = h
		return nil // an unborn branch: nothing committed yet
	}
	shallow, err := r.Shallow(ctx)
	if err != nil {
		return err
	}
	err = r.Log(ctx, revs, func(c *gitcli.Commit, changes []gitcli.Change) error {
		if shallow[c.ID] {
			return fmt.Errorf("history ends at %s, where this shallow clone was cut: %w", c.ID, gitrepo.ErrShallow)
		}
		h.ranks[c.ID] = len(h.ranks)
		if err := s.gitCommit(ctx, r, c, changes, yield); err != nil {
			return err
		}
		if s.Progress != nil {
			s.Progress(len(h.ranks), 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.git = h
	if s.Progress != nil {
		s.Progress(len(h.ranks), len(h.ranks))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(s.unread) > 0 && !s.AllowMissing {
		return &IncompleteError{Unread: s.unread}
	}
	return nil
}

// gitCommit yields what one commit added.
func (s *History) gitCommit(ctx context.Context, r *gitcli.Repo, c *gitcli.Commit, changes []gitcli.Change, yield func(scan.Fragment) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Options.Exclude != nil {
		kept := changes[:0]
		for _, ch := range changes {
			if ch.To.Mode == 0 || !s.Options.Exclude(ch.Path) {
				kept = append(kept, ch)
			}
		}
		changes = kept
	}
	o := gitcli.AddedOptions{MaxSize: s.maxSize()}
	return r.Added(changes, o, func(a gitcli.Added) error {
		switch {
		case a.Err != nil:
			if isMissing(a.Err) {
				s.missing(a.Path, c.ID, a.Err, fmt.Sprintf("commit %s: %s not scanned: %v", c.ID, a.Path, a.Err))
				return nil
			}
			return fmt.Errorf("commit %s: %s: %w", c.ID, a.Path, a.Err)
		case a.BaseErr != nil:
			s.missing(a.Path, c.ID, a.BaseErr, fmt.Sprintf("commit %s: %s: its earlier version could not be read, every line counts as added here: %v", c.ID, a.Path, a.BaseErr))
		case a.Skip != "":
			s.skip(a.Path+" in "+c.ID[:12], a.Skip)
			return nil
		}
		for _, h := range a.Hunks {
			err := yield(scan.Fragment{Path: a.Path, Content: h.Content, StartLine: h.Line,
				Commit: c.ID, Author: c.Author, Email: c.Email, Date: c.When})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// gitRevisions are the git log arguments selecting the commits to scan:
// resolved commit ids, never a user's string git could take for an option.
func (s *History) gitRevisions(ctx context.Context, r *gitcli.Repo) ([]string, error) {
	resolve := func(revs []string) ([]string, error) {
		var ids []string
		for _, rev := range revs {
			id, err := r.Resolve(ctx, rev)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", err, ErrBadRevision)
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	include, err := resolve(s.Include)
	if err != nil {
		return nil, err
	}
	exclude, err := resolve(s.Exclude)
	if err != nil {
		return nil, err
	}
	head, haveHead, err := r.Head(ctx)
	if err != nil && (s.NotPushed || !s.All && len(s.Include) == 0) {
		return nil, err
	}
	switch {
	case s.All:
		include = append(include, "--all")
	case s.NotPushed:
		include = append(include, "--branches")
		if haveHead {
			include = append(include, head)
		}
		exclude = append(exclude, "--remotes")
	case len(s.Include) == 0 && haveHead:
		include = append(include, head)
	}
	if len(include) == 0 {
		return nil, nil
	}
	if len(exclude) > 0 {
		include = append(append(include, "--not"), exclude...)
	}
	return include, nil
}
