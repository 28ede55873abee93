// Package push works out what a git push would send and checks it before it
// leaves: the ref updates git hands the pre-push hook, the commits they make
// outgoing, and whether the remote is a Hugging Face repository.
package push

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ZeroSHA is git's all-zero object name: no object on that side of an
// update. A SHA-256 repository's has 64 zeros: test with isZero.
const ZeroSHA = "0000000000000000000000000000000000000000"

// Update is one line of pre-push input: a ref the push creates, moves or deletes.
type Update struct {
	LocalRef, LocalSHA, RemoteRef, RemoteSHA string
}

// Deletion reports whether the push deletes the remote ref (nothing to scan).
func (u Update) Deletion() bool { return isZero(u.LocalSHA) }

// NewRef reports whether the remote does not have the ref yet.
func (u Update) NewRef() bool { return isZero(u.RemoteSHA) }

func isZero(sha string) bool { return strings.Trim(sha, "0") == "" }

// ParseUpdates reads githooks(5) pre-push input: one line per ref,
// "<local ref> <local sha> <remote ref> <remote sha>". Blank lines are skipped.
func ParseUpdates(r io.Reader) ([]Update, error) {
	var updates []Update
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("pre-push input line %d has %d fields, want 4 (<local ref> <local sha> <remote ref> <remote sha>): %q", n, len(f), line)
		}
		for _, sha := range []string{f[1], f[3]} {
			if !isSHA(sha) {
				return nil, fmt.Errorf("pre-push input line %d: %q is not an object name", n, sha)
			}
		}
		updates = append(updates, Update{LocalRef: f[0], LocalSHA: f[1], RemoteRef: f[2], RemoteSHA: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("failed to read the pre-push input: %w", err)
	}
	return updates, nil
}

// isSHA accepts SHA-1 (40) and SHA-256 (64) object names in lower-case hex.
func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}
