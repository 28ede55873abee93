// Package scan is the secret-detection engine: rules from an embedded data
// file, a one-pass keyword prefilter, regexes run only in windows around
// keyword hits, then entropy, validators, placeholder checks, allowlists and
// the baseline.
package scan

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/tokenguard/tokenguard/internal/redact"
)

// Fragment is one piece of text to scan and where it came from. Git sources
// fill Commit, Author, Email and Date; StartLine places a hunk in its file.
type Fragment struct {
	Path      string
	Content   []byte
	StartLine int // line number of the first line of Content; 0 means 1
	Commit    string
	Author    string
	Email     string
	Date      time.Time
	// Done, when set, is called by ScanAll once it is through with
	// Content, so that the source can reuse the buffer.
	Done func()
}

// Finding is one secret found. Secret holds the raw value for fingerprinting
// and --no-redact; everything shown to people uses Masked.
type Finding struct {
	RuleID      string
	Description string
	Provider    string
	File        string
	Line        int // 1-based
	Column      int // 1-based, in characters
	Secret      string
	Masked      string
	Fingerprint string
	Entropy     float64
	Commit      string
	Author      string
	Email       string
	Date        time.Time
	// Verification is the liveness status once checked ("valid", "invalid",
	// "unknown"); empty when not checked.
	Verification string
	// Expires is when the secret stops working, when the secret itself
	// says so (a JWT's exp); zero otherwise.
	Expires time.Time
	// Note is what the secret or the text beside it says about whose it
	// is or what it may do ("username alice", "role service_role"); never
	// the secret or a part of it.
	Note string
	// Informational marks a value that is public by design (a Firebase
	// web key): reported, with the reason in Description, but it does
	// not fail the scan.
	Informational bool
	// Repository and Link are set for findings in a remote repository:
	// "space alice/app" and the address of the file at the commit and line.
	Repository string
	Link       string

	start, end int // secret span in the view, for overlap resolution
	priority   int
	rejected   bool // matched by a rule but dismissed: still claims its span
}

// Failing counts the findings that fail a scan: all but the informational.
func Failing(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if !f.Informational {
			n++
		}
	}
	return n
}

// Config adjusts the built-in rules and adds allowlists.
type Config struct {
	Rules      []RuleSpec      // added, or replacing the built-in rule of the same id
	Disable    []string        // ids of rules to drop
	Allowlists []AllowlistSpec // global when Rules is empty, else for those rules
}

// Engine scans fragments. It is safe for concurrent use.
type Engine struct {
	rules            []*Rule
	pre              *prefilter
	kwRules          [][]int  // keyword index -> rule indexes
	placeholderWords []string // each word in lower, upper and title case
	knownExamples    map[string]bool
	global           []*allowlist
	perRule          map[string][]*allowlist

	// placeholderByFirst is placeholderWords by first byte.
	placeholderByFirst *[256][]string

	// regexBytes counts the bytes every Scan handed to the rules' regexes:
	// the work that grows with dense keyword hits, which tests hold linear
	// in the input without timing anything.
	regexBytes atomic.Int64
}

// New builds an engine from the built-in rules adjusted by cfg.
func New(cfg Config) (*Engine, error) {
	specs, err := mergeRules(builtinRules, cfg.Rules, cfg.Disable)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		placeholderWords: placeholderVariants(builtinPlaceholderWords),
		knownExamples:    map[string]bool{},
		perRule:          map[string][]*allowlist{},
	}
	e.placeholderByFirst = byFirstByte(e.placeholderWords)
	for _, k := range builtinKnownExamples {
		e.knownExamples[k] = true
	}
	kwIndex := map[string]int{}
	var keywords []string
	for ri, s := range specs {
		r, err := compileRule(s)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(cfg.Rules, func(u RuleSpec) bool { return u.ID == s.ID }) {
			if err := r.compile(); err != nil {
				return nil, err // a user's regex: say what is wrong now
			}
		}
		e.rules = append(e.rules, r)
		for _, k := range s.Keywords {
			k = strings.ToLower(k)
			ki, ok := kwIndex[k]
			if !ok {
				ki = len(keywords)
				kwIndex[k] = ki
				keywords = append(keywords, k)
				e.kwRules = append(e.kwRules, nil)
			}
			if !slices.Contains(e.kwRules[ki], ri) {
				e.kwRules[ki] = append(e.kwRules[ki], ri)
			}
		}
	}
	e.pre = newPrefilter(keywords)
	for _, as := range cfg.Allowlists {
		a, err := compileAllowlist(as)
		if err != nil {
			return nil, err
		}
		if len(as.Rules) == 0 {
			e.global = append(e.global, a)
			continue
		}
		for _, id := range as.Rules {
			if !slices.ContainsFunc(e.rules, func(r *Rule) bool { return r.ID == id }) {
				return nil, &AllowlistError{Description: as.Description, Err: &RuleError{ID: id, Err: errNoSuchRule}}
			}
			e.perRule[id] = append(e.perRule[id], a)
		}
	}
	// A rule from the configuration is held to its own examples too, so a
	// regex that cannot match what its author meant fails loudly.
	for _, u := range cfg.Rules {
		if err := e.checkExamples(u); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// checkExamples scans a rule's match and no_match examples.
func (e *Engine) checkExamples(s RuleSpec) error {
	has := func(ex string) bool {
		return slices.ContainsFunc(e.Scan(Fragment{Content: []byte(ex)}), func(f Finding) bool { return f.RuleID == s.ID })
	}
	for i, ex := range s.Match {
		if !has(ex) {
			return &RuleError{ID: s.ID, Err: fmt.Errorf("match example %d is not found: %q", i+1, ex)}
		}
	}
	for i, ex := range s.NoMatch {
		if has(ex) {
			return &RuleError{ID: s.ID, Err: fmt.Errorf("no_match example %d is found", i+1)}
		}
	}
	return nil
}

// Rules lists the engine's rules in order.
func (e *Engine) Rules() []*Rule { return e.rules }

// window is a span of the view where one rule's regex runs. capStart and
// capEnd say that a bound was cut short of the line's real bound, so a
// match touching it may be truncated and is not trusted.
type window struct {
	start, end       int
	capStart, capEnd bool
}

const (
	lookBehind = 256  // bytes before a keyword hit searched for the line start
	lookAhead  = 1024 // bytes after a keyword hit searched for the line end
)

// PathAllowed reports whether a global path allowlist excludes path, so that
// sources can skip reading it at all.
func (e *Engine) PathAllowed(path string) bool {
	for _, a := range e.global {
		if a.matchPath(path) {
			return true
		}
	}
	return false
}

// Scan returns the findings in one fragment, in order of position.
func (e *Engine) Scan(f Fragment) []Finding {
	if len(f.Content) == 0 || e.PathAllowed(f.Path) {
		return nil
	}
	v := &view{text: f.Content}
	if isJSON(f.Path, f.Content) {
		v = decodeJSON(f.Content)
	}
	text := v.text

	// One pass of the prefilter tries the rules anchored at their keyword
	// at once, hit by hit, and collects merged windows of the others.
	var found []Finding
	// Made at the first keyword hit: most fragments of a history have none.
	var windows [][]window
	var lastHit []int // start of the last hit tried, plus one
	e.pre.each(text, func(k, hs, he int) {
		if windows == nil {
			windows = make([][]window, len(e.rules))
			lastHit = make([]int, len(e.rules))
		}
		for _, ri := range e.kwRules[k] {
			r, ws := e.rules[ri], windows[ri]
			if r.StartsAtKeyword {
				if lastHit[ri] != hs+1 && r.mayStartAt(text, hs) {
					lastHit[ri] = hs + 1 // two keywords of one rule at one place
					found = e.matchAt(found, r, v, hs, he, f)
				}
				continue
			}
			if n := len(ws); n > 0 && hs < ws[n-1].end {
				// Inside the last window: at most push its end further.
				last := &ws[n-1]
				if he <= last.end && !last.capEnd {
					continue
				}
				if end, capEnd := windowEnd(text, r, he, last.end); end > last.end {
					last.end, last.capEnd = end, capEnd
				}
				continue
			}
			w := windowAt(text, r, hs, he, ws)
			if n := len(ws); n > 0 && w.start <= ws[n-1].end {
				last := &ws[n-1]
				last.end, last.capEnd = max(last.end, w.end), w.capEnd
				continue
			}
			windows[ri] = append(ws, w)
		}
	})
	for ri, ws := range windows {
		for _, w := range ws {
			found = e.matchWindow(found, e.rules[ri], v, w, f)
		}
	}
	e.regexBytes.Add(int64(v.regexBytes))
	if len(found) == 0 {
		return nil
	}
	found = resolveOverlaps(found)
	if len(found) == 0 {
		return nil
	}
	e.locate(found, v, f)
	return e.filterLines(found, f)
}

// windowAt returns the window of rule r around the keyword hit [hs, he),
// which lies after every window in prev. Searches never reach back before
// the previous window's end, so the total work stays linear however dense
// the hits are.
func windowAt(text []byte, r *Rule, hs, he int, prev []window) window {
	floor := 0
	if n := len(prev); n > 0 {
		floor = prev[n-1].end
	}
	var w window
	lo := max(hs-lookBehind, floor)
	if i := bytes.LastIndexByte(text[lo:hs], '\n'); i >= 0 {
		w.start = lo + i + 1
	} else {
		w.start = lo
		w.capStart = lo > 0 && lo == hs-lookBehind
	}
	w.end, w.capEnd = windowEnd(text, r, he, he)
	return w
}

// windowEnd returns where the window of a hit ending at he stops: the rule's
// own reach, or the end of the line, at most lookAhead bytes on. The search
// starts at from (>= he), where an earlier search stopped.
func windowEnd(text []byte, r *Rule, he, from int) (end int, capped bool) {
	if r.Window > 0 {
		end = min(he+r.Window, len(text))
		return end, end < len(text)
	}
	hi := min(he+lookAhead, len(text))
	from = max(from, he)
	if from >= hi {
		return hi, hi < len(text)
	}
	if i := bytes.IndexByte(text[from:hi], '\n'); i >= 0 {
		return from + i, false
	}
	return hi, hi < len(text)
}

// mayStartAt runs the cheap tests of an anchored rule at a keyword hit,
// before any regex: most hits of common words end here.
func (r *Rule) mayStartAt(text []byte, hs int) bool {
	if r.gate != nil && !r.gate(text, hs) {
		return false
	}
	rx := r.regex()
	if rx.leadingBoundary && (hs > 0 && isWordByte(text[hs-1])) == isWordByte(text[hs]) {
		return false
	}
	return bytes.HasPrefix(text[hs:], rx.prefix)
}

// matchAt tries a rule anchored at its keyword once, at the keyword hit
// [hs, he), which passed mayStartAt: the regex cannot wander over the
// rest of the line, so a line full of "tokenizer" costs a few steps per hit.
func (e *Engine) matchAt(found []Finding, r *Rule, v *view, hs, he int, f Fragment) []Finding {
	text := v.text
	rx := r.regex()
	end, capEnd := windowEnd(text, r, he, he)
	if rx.reach >= 0 && hs+rx.reach+1 < end {
		// One byte past the longest match lets a trailing \b see the
		// next character; the match cannot reach the cut.
		end, capEnd = hs+rx.reach+1, false
	}
	v.regexBytes += end - hs
	m := rx.anchored.FindSubmatchIndex(text[hs:end])
	if m == nil || capEnd && m[1] == end-hs {
		return found
	}
	return e.accept(found, r, v, window{start: hs, end: end}, m, f)
}

func isWordByte(c byte) bool { return wordBytes[c] }

// wordBytes is isWordByte as a table, asked of most bytes near a keyword hit.
var wordBytes = func() (t [256]bool) {
	for i := range t {
		c := byte(i)
		t[i] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	return t
}()

func (e *Engine) matchWindow(found []Finding, r *Rule, v *view, w window, f Fragment) []Finding {
	seg := v.text[w.start:w.end]
	v.regexBytes += len(seg)
	for _, m := range r.regex().re.FindAllSubmatchIndex(seg, -1) {
		if w.capStart && m[0] == 0 || w.capEnd && m[1] == len(seg) {
			continue // the window cut this match: it may be part of something longer
		}
		found = e.accept(found, r, v, w, m, f)
	}
	return found
}

// accept runs the checks on one regex match m (offsets relative to w.start)
// and records the finding, or the span a specific rule dismissed.
func (e *Engine) accept(found []Finding, r *Rule, v *view, w window, m []int, f Fragment) []Finding {
	seg := v.text[w.start:w.end]
	rx := r.regex()
	ss, se := -1, -1
	for _, g := range rx.secretGroups {
		if m[2*g] >= 0 {
			ss, se = m[2*g], m[2*g+1]
			break
		}
	}
	if ss < 0 || maskedAround(v.text, w.start+ss, w.start+se) {
		return found
	}
	if len(r.sectionKeywords) > 0 && !r.inSection(v, w.start+ss, f.Path) {
		return found // not where the provider's name says it is
	}
	secret := string(seg[ss:se])
	if r.MaxLength > 0 && se-ss > r.MaxLength {
		return found
	}
	key := ""
	if rx.keyGroup > 0 && m[2*rx.keyGroup] >= 0 {
		ks := keyStart(v.text, w.start+m[2*rx.keyGroup])
		key = string(v.text[ks : w.start+m[2*rx.keyGroup+1]])
	}
	var d detail
	verdict := keepIt
	if !e.keep(r, secret, key, f.Path) || !placeOK(r, v.text, w.start+ss, w.start+se, f.Path) {
		verdict = dismiss
	} else if r.inspect != nil {
		verdict, d = r.inspect(v.text, w.start+ss, w.start+se)
	}
	if verdict == notOurs {
		return found
	}
	if verdict == dismiss {
		if r.priority > 0 {
			// A token shape a specific rule dismissed (wrong checksum,
			// placeholder, allowlisted) is not for the generic rule.
			found = append(found, Finding{start: w.start + ss, end: w.start + se, priority: r.priority, rejected: true})
		}
		return found
	}
	found = append(found, Finding{
		RuleID:      r.ID,
		Description: r.Description,
		Provider:    r.Provider,
		File:        f.Path,
		Secret:      secret,
		Masked:      mask(r, secret),
		Fingerprint: redact.Fingerprint(secret),
		Entropy:     entropy(secret),
		Commit:      f.Commit,
		Author:      f.Author,
		Email:       f.Email,
		Date:        f.Date,
		Expires:     d.expires,
		Note:        d.note,
		start:       w.start + ss,
		end:         w.start + se,
		priority:    r.priority,
	})
	found[len(found)-1].Informational = r.Informational
	return found
}

// maskedAround reports whether the value at [s, e) is the visible part of
// a masked one: xoxp-…-######, sk-abcd****, ****wxyz, hf_… .
func maskedAround(text []byte, s, e int) bool {
	if e < len(text) && (text[e] == '*' || text[e] == '#') {
		return true
	}
	if s > 0 && text[s-1] == '*' {
		return true
	}
	return bytes.HasPrefix(text[e:], []byte("…")) || bytes.HasPrefix(text[e:], []byte("..."))
}

// keyStart returns where the name holding a key group that starts at ks
// begins. The regex starts at the keyword; the rest of the name
// (db_password, HF_API_TOKEN) is read back here, up to 64 bytes, which is
// far cheaper than a leading [a-z_]{0,40} in the regex.
func keyStart(text []byte, ks int) int {
	lo := max(ks-64, 0)
	for ks > lo && isNameByte(text[ks-1]) {
		ks--
	}
	return ks
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// keep runs the checks that need only the secret.
func (e *Engine) keep(r *Rule, secret, key, path string) bool {
	if e.knownExamples[secret] {
		return false
	}
	for _, c := range r.checks {
		if !c(e, secret, key) {
			return false
		}
	}
	if r.Entropy > 0 && entropy(secret) < r.Entropy {
		return false
	}
	if r.validator != nil && !r.validator(secret) {
		return false
	}
	if len(r.stopwords) > 0 {
		ls := strings.ToLower(secret)
		for _, w := range r.stopwords {
			if strings.Contains(ls, w) {
				return false
			}
		}
	}
	for _, a := range e.global {
		if a.matchSecret(secret) {
			return false
		}
	}
	for _, a := range e.perRule[r.ID] {
		if a.matchPath(path) || a.matchSecret(secret) {
			return false
		}
	}
	return true
}

func placeOK(r *Rule, text []byte, s, e int, path string) bool {
	for _, c := range r.placeChecks {
		if !c(text, s, e, path) {
			return false
		}
	}
	return true
}

// resolveOverlaps drops a finding whose secret overlaps one of a higher
// priority rule (a generic match of a token a specific rule named) and exact
// duplicates.
func resolveOverlaps(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.priority - a.priority
	})
	out := fs[:0]
	for _, f := range fs {
		dropped := false
		// Compare with the kept findings that can still overlap f.
		for j := len(out) - 1; j >= 0 && j >= len(out)-8; j-- {
			k := &out[j]
			if k.end <= f.start || f.end <= k.start {
				continue
			}
			switch {
			case k.priority > f.priority:
				dropped = true
			case k.priority < f.priority:
				*k = f
				dropped = true
			case k.start == f.start && k.end == f.end:
				dropped = true
			}
			if dropped {
				break
			}
		}
		if !dropped {
			out = append(out, f)
		}
	}
	kept := out[:0]
	for _, f := range out {
		if !f.rejected {
			kept = append(kept, f)
		}
	}
	return kept
}

// locate fills Line and Column from the view offsets, in one forward pass.
func (e *Engine) locate(fs []Finding, v *view, f Fragment) {
	slices.SortStableFunc(fs, func(a, b Finding) int { return v.offset(a.start) - v.offset(b.start) })
	base := f.StartLine
	if base <= 0 {
		base = 1
	}
	// pos: everything before it has been searched for line breaks;
	// colAt, col: the column (in characters) at offset colAt of this line.
	// Both only move forward, so a minified line with thousands of
	// findings costs one pass.
	line, pos, colAt, col := base, 0, 0, 0
	for i := range fs {
		off := min(v.offset(fs[i].start), len(f.Content))
		for pos < off {
			j := bytes.IndexByte(f.Content[pos:off], '\n')
			if j < 0 {
				pos = off
				break
			}
			line++
			pos += j + 1
			colAt, col = pos, 0
		}
		if off > colAt {
			col += utf8.RuneCount(f.Content[colAt:off])
			colAt = off
		}
		fs[i].Line = line
		fs[i].Column = col + 1
		fs[i].start = off // from here on, content offsets
	}
}

// filterLines applies what needs the finding's whole line: inline
// tokenguard:allow comments and line allowlists.
func (e *Engine) filterLines(fs []Finding, f Fragment) []Finding {
	out := fs[:0]
	for _, fd := range fs {
		line, prev := lineAround(f.Content, fd.start)
		if allowedInline(line) || allowedInline(prev) {
			continue
		}
		allowed := false
		for _, a := range e.global {
			if a.matchLine(line) {
				allowed = true
			}
		}
		for _, a := range e.perRule[fd.RuleID] {
			if a.matchLine(line) {
				allowed = true
			}
		}
		if !allowed {
			out = append(out, fd)
		}
	}
	return out
}

// lineAround returns the line holding offset off and the line before it,
// each cut to 4 KiB around the offset so a minified file stays cheap.
func lineAround(b []byte, off int) (line, prev []byte) {
	s, _ := lineStart(b, off)
	end := min(off+4096, len(b))
	if i := bytes.IndexByte(b[off:end], '\n'); i >= 0 {
		end = off + i
	}
	line = b[s:end]
	if s > 0 && b[s-1] == '\n' {
		ps, _ := lineStart(b, s-1)
		prev = b[ps : s-1]
	}
	return line, prev
}

// lineStart returns the start of the line holding off, looking back at most
// 4 KiB; whole is false when the line was cut.
func lineStart(b []byte, off int) (int, bool) {
	lo := max(off-4096, 0)
	if i := bytes.LastIndexByte(b[lo:off], '\n'); i >= 0 {
		return lo + i + 1, true
	}
	return lo, lo == 0
}

// inlineMarkers suppress a finding on their line or the line below. The
// gitleaks marker is honoured so that migrating repositories keep working.
var inlineMarkers = [][]byte{[]byte("tokenguard:allow"), []byte("gitleaks:allow")}

func allowedInline(line []byte) bool {
	for _, m := range inlineMarkers {
		if bytes.Contains(line, m) {
			return true
		}
	}
	return false
}

// mask shows a secret safely: the documented prefix (a keyword of the rule
// the secret starts with, or a prefix redact knows) and the last four
// characters when at least 12 stay hidden. Multi-line secrets (PEM blocks)
// show their header only; URLs their scheme only.
func mask(r *Rule, secret string) string {
	if strings.HasPrefix(secret, "-----BEGIN") {
		if j := strings.Index(secret[5:], "-----"); j >= 0 {
			return secret[:j+10] + "…"
		}
		return "-----BEGIN…"
	}
	if i := strings.Index(secret, "://"); i > 0 {
		return secret[:i+3] + "…" // URL with a password: show the scheme only
	}
	m := redact.Mask(secret)
	known, _, _ := strings.Cut(m, "…")
	if r == nil || r.priority == 0 {
		return m
	}
	prefix := known
	for _, k := range r.Keywords {
		if len(k) > len(prefix) && len(k) < len(secret) && strings.EqualFold(secret[:len(k)], k) {
			prefix = secret[:len(k)]
		}
	}
	if prefix == known {
		return m
	}
	rest := secret[len(prefix):]
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}
