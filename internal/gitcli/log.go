package gitcli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Commit is what secretscan needs of a commit.
type Commit struct {
	ID, Tree      string
	Parents       []string
	Author, Email string
	When          time.Time // author date
	Committed     time.Time // committer date
}

// Entry is a path's mode and object on one side of a change; Mode 0 means
// the path is not there.
type Entry struct {
	Mode uint32
	ID   string
}

// IsBlob reports whether the entry is a regular or executable file (not a
// symbolic link, directory or submodule).
func (e Entry) IsBlob() bool { return e.Mode&0o170000 == 0o100000 }

// Change is one path that differs between a commit (or the index) and its
// parents.
type Change struct {
	Path string
	// From is the path in each parent, first parent first.
	From []Entry
	// To is the path in the commit; Mode 0 when deleted.
	To Entry
}

// logFormat is one header per commit, fields NUL-separated; \x01 marks its
// start (no raw diff line or path token starts the loop with it).
const logFormat = "--format=%x01%H%x00%T%x00%P%x00%an%x00%ae%x00%ad%x00%ct"

const logFields = 7

// Log calls fn with each commit revs select (git rev-list arguments:
// commit ids, --not, --all, --branches…), parents before children and
// otherwise the earlier committer date first (git's --date-order
// reversed), and the changes it makes: relative to its parent, or for a
// merge the paths that differ from every parent (git's combined diff), in
// the raw form, paths unquoted.
func (r *Repo) Log(ctx context.Context, revs []string, fn func(*Commit, []Change) error) error {
	args := []string{"log", "-z", "-r", "--raw", "-c", "--root", "--no-renames", "--no-abbrev",
		"--no-ext-diff", "--no-textconv", "--no-color", "--encoding=none", "--date=raw",
		"--date-order", "--reverse", logFormat}
	args = append(args, revs...)
	return r.stream(ctx, func(br *bufio.Reader) error {
		var c *Commit
		var changes []Change
		flush := func() error {
			if c == nil {
				return nil
			}
			err := fn(c, changes)
			c, changes = nil, nil
			return err
		}
		for {
			tok, err := token(br)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			tok = strings.TrimLeft(tok, "\n")
			switch {
			case tok == "":
			case tok[0] == 1:
				if err := flush(); err != nil {
					return err
				}
				f := []string{tok[1:]}
				for len(f) < logFields {
					t, err := token(br)
					if err != nil {
						return fmt.Errorf("git log: truncated commit header: %w", err)
					}
					f = append(f, t)
				}
				if c, err = parseHeader(f); err != nil {
					return err
				}
			case tok[0] == ':' && c != nil:
				path, err := token(br)
				if err != nil {
					return fmt.Errorf("git log: truncated raw diff: %w", err)
				}
				ch, err := parseRaw(tok, path)
				if err != nil {
					return fmt.Errorf("commit %s: %w", c.ID, err)
				}
				changes = append(changes, ch)
			default:
				return fmt.Errorf("git log printed %q where a commit or a raw diff line was expected", tok)
			}
		}
		return flush()
	}, args...)
}

// token reads up to the next NUL; io.EOF only when nothing is left.
func token(br *bufio.Reader) (string, error) {
	s, err := br.ReadString(0)
	if err == nil {
		return s[:len(s)-1], nil
	}
	if errors.Is(err, io.EOF) && s != "" {
		return s, nil
	}
	return "", err
}

func parseHeader(f []string) (*Commit, error) {
	c := &Commit{ID: f[0], Tree: f[1], Parents: strings.Fields(f[2]), Author: f[3], Email: f[4]}
	var err error
	if c.When, err = rawDate(f[5]); err != nil {
		return nil, fmt.Errorf("commit %s: author date %q: %w", c.ID, f[5], err)
	}
	if c.Committed, err = rawDate(f[6]); err != nil {
		return nil, fmt.Errorf("commit %s: committer date %q: %w", c.ID, f[6], err)
	}
	return c, nil
}

// rawDate reads git's raw date, "1700000000 +0100" (the zone optional).
func rawDate(s string) (time.Time, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return time.Time{}, errors.New("empty")
	}
	sec, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	loc := time.UTC
	if len(f) > 1 && len(f[1]) == 5 {
		hh, err1 := strconv.Atoi(f[1][1:3])
		mm, err2 := strconv.Atoi(f[1][3:5])
		if err1 == nil && err2 == nil {
			off := (hh*60 + mm) * 60
			if f[1][0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Unix(sec, 0).In(loc), nil
}

// parseRaw reads one raw diff line: ":100644 100644 <src> <dst> M" or, for
// a merge's combined diff, one colon, mode and id per parent
// ("::100644 100644 100644 <p1> <p2> <result> MM").
func parseRaw(meta, path string) (Change, error) {
	n := len(meta) - len(strings.TrimLeft(meta, ":"))
	f := strings.Fields(meta[n:])
	if len(f) != 2*(n+1)+1 {
		return Change{}, fmt.Errorf("raw diff line %q has %d fields, want %d", meta, len(f), 2*(n+1)+1)
	}
	ch := Change{Path: path, From: make([]Entry, n)}
	entry := func(mode, id string) (Entry, error) {
		m, err := strconv.ParseUint(mode, 8, 32)
		if err != nil {
			return Entry{}, fmt.Errorf("raw diff line %q: mode %q", meta, mode)
		}
		if m == 0 {
			return Entry{}, nil
		}
		return Entry{Mode: uint32(m), ID: id}, nil
	}
	for i := range n {
		e, err := entry(f[i], f[n+1+i])
		if err != nil {
			return Change{}, err
		}
		ch.From[i] = e
	}
	e, err := entry(f[n], f[2*n+1])
	if err != nil {
		return Change{}, err
	}
	ch.To = e
	return ch, nil
}
