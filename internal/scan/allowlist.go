package scan

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// AllowlistSpec is one [[scan.allowlists]] table of .tokenguard.toml. A
// finding is dropped when its path matches one of Paths, or its secret
// matches one of Regexes or holds one of Stopwords, or its whole line
// matches one of Lines. With Rules empty it applies to every rule.
type AllowlistSpec struct {
	Description string   `toml:"description"`
	Rules       []string `toml:"rules"`
	Paths       []string `toml:"paths"`     // globs: *, ?, ** (any directories); a pattern without / matches the base name
	Regexes     []string `toml:"regexes"`   // RE2, on the secret
	Lines       []string `toml:"lines"`     // RE2, on the line holding the secret
	Stopwords   []string `toml:"stopwords"` // case-insensitive substrings of the secret
}

// AllowlistError is an allowlist that cannot be used.
type AllowlistError struct {
	Description string
	Err         error
}

func (e *AllowlistError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("allowlist %q: %v", e.Description, e.Err)
	}
	return fmt.Sprintf("allowlist: %v", e.Err)
}
func (e *AllowlistError) Unwrap() error { return e.Err }

var errNoSuchRule = errors.New("no such rule")

type allowlist struct {
	paths     []*regexp.Regexp
	pathLits  []string // a run of characters every match of paths[i] holds
	baseOnly  []bool
	regexes   []*regexp.Regexp
	lines     []*regexp.Regexp
	stopwords []string
}

func compileAllowlist(s AllowlistSpec) (*allowlist, error) {
	a := &allowlist{}
	fail := func(err error) (*allowlist, error) { return nil, &AllowlistError{Description: s.Description, Err: err} }
	for _, g := range s.Paths {
		re, lit, err := globRegexp(g)
		if err != nil {
			return fail(fmt.Errorf("path %q: %w", g, err))
		}
		a.paths = append(a.paths, re)
		a.pathLits = append(a.pathLits, lit)
		a.baseOnly = append(a.baseOnly, !strings.Contains(strings.TrimSuffix(g, "/"), "/"))
	}
	for _, r := range s.Regexes {
		re, err := regexp.Compile(r)
		if err != nil {
			return fail(fmt.Errorf("regex %q: %w", r, err))
		}
		a.regexes = append(a.regexes, re)
	}
	for _, r := range s.Lines {
		re, err := regexp.Compile(r)
		if err != nil {
			return fail(fmt.Errorf("line regex %q: %w", r, err))
		}
		a.lines = append(a.lines, re)
	}
	for _, w := range s.Stopwords {
		if w == "" {
			return fail(errors.New("empty stopword"))
		}
		a.stopwords = append(a.stopwords, strings.ToLower(w))
	}
	return a, nil
}

// globRegexp turns a path glob into an anchored regexp: * and ? stay within
// one path element, ** crosses directories, a trailing / matches everything
// below a directory. lit is the longest run of the glob's own characters,
// which every string the regexp matches holds.
func globRegexp(g string) (re *regexp.Regexp, lit string, err error) {
	g = strings.TrimPrefix(g, "./")
	var b strings.Builder
	b.WriteString("^")
	if strings.HasPrefix(g, "/") {
		g = g[1:]
	}
	run := 0 // the length of the run of literal characters ending at i
	for i := 0; i < len(g); i++ {
		c := g[i]
		literal := false
		switch {
		case c == '*' && i+1 < len(g) && g[i+1] == '*':
			i++
			if i+1 < len(g) && g[i+1] == '/' {
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '/' && i == len(g)-1:
			b.WriteString("/.*")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
			literal = true
		}
		if !literal {
			run = 0
			continue
		}
		if run++; run > len(lit) {
			lit = g[i+1-run : i+1]
		}
	}
	b.WriteString("$")
	re, err = regexp.Compile(b.String())
	return re, lit, err
}

// matchPath reports whether p, or a directory above it, matches a path
// glob. Every string tried is part of p, so a glob whose literal run p
// lacks is not tried at all (the regexps were half of a scan of a module
// cache with this repository's allowlist, tried on every directory above
// every file).
func (a *allowlist) matchPath(p string) bool {
	if p == "" || len(a.paths) == 0 {
		return false
	}
	p = strings.TrimPrefix(path.Clean(strings.ReplaceAll(p, "\\", "/")), "./")
	for i, re := range a.paths {
		if !strings.Contains(p, a.pathLits[i]) {
			continue
		}
		if re.MatchString(p) {
			return true
		}
		if a.baseOnly[i] && re.MatchString(path.Base(p)) {
			return true
		}
		// A directory pattern without a trailing slash covers its contents.
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if re.MatchString(d) || a.baseOnly[i] && re.MatchString(path.Base(d)) {
				return true
			}
		}
	}
	return false
}

func (a *allowlist) matchSecret(s string) bool {
	for _, re := range a.regexes {
		if re.MatchString(s) {
			return true
		}
	}
	if len(a.stopwords) > 0 {
		ls := strings.ToLower(s)
		for _, w := range a.stopwords {
			if strings.Contains(ls, w) {
				return true
			}
		}
	}
	return false
}

func (a *allowlist) matchLine(line []byte) bool {
	for _, re := range a.lines {
		if re.Match(line) {
			return true
		}
	}
	return false
}
