package source

import (
	"cmp"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// Reasons a source gives Options.Skipped. Git sources give the same ones
// (gitrepo words "larger than" and "binary" alike).
const (
	// ReasonBinary is content with a NUL byte in its first 8000 bytes, as
	// git decides: read, but not matched against rules made for text.
	ReasonBinary = "binary"
	// ReasonMissing is a path named on the command line that does not exist.
	ReasonMissing = "no such file or directory"
	reasonLarger  = "larger than "
	reasonNoRead  = "unreadable: "
	// A git object the history lacks; accepted ones (History.AllowMissing)
	// are listed but leave the scan complete.
	reasonMissingObject = "missing: "
	// ReasonAcceptedObject starts the reason of a missing git object the
	// caller accepted; the command says how it was accepted.
	ReasonAcceptedObject = "missing, accepted: "
)

// TooLargeReason is the reason given for content over max bytes.
func TooLargeReason(max int64) string { return gitrepo.TooLargeReason(max) }

// unreadable words an I/O error without the path, which the skip carries.
func unreadable(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return reasonNoRead + err.Error()
}

// Skip is one thing a source was asked to read and did not scan.
type Skip struct {
	Path   string
	Commit string // abbreviated, for git sources; "" otherwise
	Reason string
}

// Binary reports a binary file: read, judged not to be text.
func (s Skip) Binary() bool { return s.Reason == ReasonBinary }

// TooLarge reports content over the size limit.
func (s Skip) TooLarge() bool { return strings.HasPrefix(s.Reason, reasonLarger) }

// Missing reports a named path that does not exist (a usage error).
func (s Skip) Missing() bool { return s.Reason == ReasonMissing }

// Accepted reports a missing git object the user accepted (History.AllowMissing).
func (s Skip) Accepted() bool { return strings.HasPrefix(s.Reason, ReasonAcceptedObject) }

// Incomplete reports whether the skip leaves part of the input unread:
// everything but binary files, missing objects the user accepted, and
// files over the size limit when the user accepted those (allowLarge).
func (s Skip) Incomplete(allowLarge bool) bool {
	return !s.Binary() && !s.Accepted() && !(allowLarge && s.TooLarge())
}

// Skips collects what sources leave out; safe for concurrent use (history
// workers report from several goroutines). Its Add is an Options.Skipped.
type Skips struct {
	mu   sync.Mutex
	list []Skip
}

// Add records one skip. History sources name a path "path in <commit>"
// (12 hex digits): that is split back into path and commit.
func (c *Skips) Add(path, reason string) {
	s := Skip{Path: path, Reason: reason}
	if i := strings.LastIndex(path, " in "); i >= 0 && isHex12(path[i+4:]) {
		s.Path, s.Commit = path[:i], path[i+4:]
	}
	c.mu.Lock()
	c.list = append(c.list, s)
	c.mu.Unlock()
}

// List is every skip once, sorted by path, then commit.
func (c *Skips) List() []Skip {
	c.mu.Lock()
	out := slices.Clone(c.list)
	c.mu.Unlock()
	slices.SortFunc(out, func(a, b Skip) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Commit, b.Commit), strings.Compare(a.Reason, b.Reason))
	})
	return slices.Compact(out)
}

func isHex12(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}
