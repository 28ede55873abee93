package scan

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The built-in rules are written in rules.toml, with their examples, and
// compiled into rules_gen.go without them: decoding 58 KiB of TOML was most
// of a commit hook's engine start-up. TestBuiltinRules holds the two equal.
//
//go:generate go test -run ^TestBuiltinRules$ -update .

// RuleSpec is one detection rule as written in rules.toml or in the
// [[scan.rules]] tables of .tokenguard.toml. A spec whose id equals a built-in
// rule's replaces it.
type RuleSpec struct {
	ID          string   `toml:"id"`
	Provider    string   `toml:"provider"`
	Description string   `toml:"description"`
	Regex       string   `toml:"regex"`
	Keywords    []string `toml:"keywords"`
	Window      int      `toml:"window"`
	// StartsAtKeyword says every match begins exactly at one of the
	// keywords: the regex is then tried once per keyword hit instead of
	// searched for along the line, which is much cheaper.
	StartsAtKeyword bool `toml:"starts_at_keyword"`
	// Gate names a cheap test of the text at a keyword hit that must pass
	// before a StartsAtKeyword rule's regex runs (see gates).
	Gate      string   `toml:"gate"`
	MaxLength int      `toml:"max_length"`
	Entropy   float64  `toml:"entropy"`
	Validator string   `toml:"validator"`
	Checks    []string `toml:"checks"`
	Priority  *int     `toml:"priority"`
	Stopwords []string `toml:"stopwords"`
	Match     []string `toml:"match"`
	NoMatch   []string `toml:"no_match"`

	// SectionKeywords, when set, keep only matches whose enclosing
	// section (YAML parent keys, TOML/INI table, JSON object path, netrc
	// machine, the URL on a curl line, the file name) names one of them:
	// the provider's name may come from where a bare api_key stands.
	SectionKeywords []string `toml:"section_keywords"`
	// Informational findings are public by design (Firebase web keys):
	// reported, with the reason in the description, but never a failure.
	Informational bool `toml:"informational"`
}

// Rule is a compiled rule.
type Rule struct {
	RuleSpec
	gate func(text []byte, at int) bool
	// The regexes are compiled on first use: most runs (a commit hook on a
	// few files) need a handful of the rules, and compiling all of them was
	// most of the engine's start-up time.
	once      sync.Once
	rx        *ruleRegex
	rxErr     error
	checks    []check
	validator func(string) bool
	inspect   inspector
	priority  int
	stopwords []string // lower case
	// sectionKeywords are SectionKeywords in lower case.
	sectionKeywords [][]byte
	// placeChecks look at where the secret stands, after the checks.
	placeChecks []placeCheck
}

// defaultChecks apply to every rule that does not list its own.
var defaultChecks = []string{"placeholder", "low-variety"}

// maxWindow bounds a rule's window so that a rule cannot make the engine
// quadratic on a file full of keyword hits.
const maxWindow = 64 << 10

// DefaultRules returns the built-in rule specs, without their examples.
func DefaultRules() []RuleSpec { return slices.Clone(builtinRules) }

// RuleError is a rule that cannot be used; the message names the rule id.
type RuleError struct {
	ID  string
	Err error
}

func (e *RuleError) Error() string { return fmt.Sprintf("rule %q: %v", e.ID, e.Err) }
func (e *RuleError) Unwrap() error { return e.Err }

// ruleRegex is what a rule's regex compiles to.
type ruleRegex struct {
	re       *regexp.Regexp
	anchored *regexp.Regexp // the regex anchored at its start, for StartsAtKeyword
	// leadingBoundary: the regex starts with \b, which an anchored match
	// cannot see, so the engine checks it.
	leadingBoundary bool
	// prefix is the case-sensitive literal every match starts with, if
	// any: the prefilter matches keywords in any case, the rule may not.
	prefix []byte
	// reach is the longest match of the regex in bytes, -1 when unbounded.
	reach int
	// secretGroups are the groups named secret, in order: alternatives
	// of a regex may each name their own; the first that took part is
	// the secret.
	secretGroups []int
	keyGroup     int // -1 when the regex has no (?P<key>…) group
}

// regex compiles the rule's regex once. New compiles the regexes of rules
// from the configuration at once, to report their errors; the built-in ones
// are compiled by their tests, so an error here is a programming error.
func (r *Rule) regex() *ruleRegex {
	if err := r.compile(); err != nil {
		panic(err)
	}
	return r.rx
}

// compile compiles the regex now, if it was not yet, and reports its error.
func (r *Rule) compile() error {
	r.once.Do(func() { r.rx, r.rxErr = compileRegex(r.RuleSpec) })
	return r.rxErr
}

func compileRegex(s RuleSpec) (*ruleRegex, error) {
	re, err := regexp.Compile(s.Regex)
	if err != nil {
		return nil, &RuleError{ID: s.ID, Err: fmt.Errorf("bad regex: %v", err)}
	}
	x := &ruleRegex{re: re, keyGroup: re.SubexpIndex("key")}
	for i, n := range re.SubexpNames() {
		if n == "secret" {
			x.secretGroups = append(x.secretGroups, i)
		}
	}
	if s.StartsAtKeyword {
		x.anchored = regexp.MustCompile(`^(?:` + s.Regex + `)`) // s.Regex compiled above
		x.leadingBoundary = startsWithWordBoundary(s.Regex)
		if re, err := syntax.Parse(s.Regex, syntax.Perl); err == nil {
			x.prefix = []byte(literalPrefix(re))
		}
	}
	x.reach = maxMatchLen(s.Regex, s.MaxLength)
	if x.secretGroups == nil {
		x.secretGroups = []int{0} // the whole match is the secret
	}
	return x, nil
}

func compileRule(s RuleSpec) (*Rule, error) {
	fail := func(format string, a ...any) (*Rule, error) {
		return nil, &RuleError{ID: s.ID, Err: fmt.Errorf(format, a...)}
	}
	if s.ID == "" {
		return nil, &RuleError{ID: "", Err: errors.New("missing id")}
	}
	if s.Regex == "" {
		return fail("missing regex")
	}
	if len(s.Keywords) == 0 {
		return fail("no keywords: the prefilter runs a rule only near one of its keywords")
	}
	for _, k := range s.Keywords {
		if len(k) < 2 {
			return fail("keyword %q is shorter than 2 characters", k)
		}
	}
	r := &Rule{RuleSpec: s}
	if s.Gate != "" {
		if !s.StartsAtKeyword {
			return fail("gate needs starts_at_keyword")
		}
		g, ok := gates[s.Gate]
		if !ok {
			return fail("unknown gate %q (known: assignment, hex40)", s.Gate)
		}
		r.gate = g
	}
	if s.Window < 0 || s.Window > maxWindow {
		return fail("window %d is outside 0..%d", s.Window, maxWindow)
	}
	r.priority = 1
	if s.Priority != nil {
		r.priority = *s.Priority
	}
	if s.Description == "" {
		r.Description = s.ID
	}
	names := s.Checks
	if names == nil {
		names = defaultChecks
	}
	for _, n := range names {
		if pc, ok := placeChecks[n]; ok {
			r.placeChecks = append(r.placeChecks, pc)
			continue
		}
		c, ok := checks[n]
		if !ok {
			return fail("unknown check %q (known: %s)", n, strings.Join(checkNames(), ", "))
		}
		r.checks = append(r.checks, c)
	}
	if s.Validator != "" {
		if v, ok := validators[s.Validator]; ok {
			r.validator = v
		} else if in, ok := inspectors[s.Validator]; ok {
			r.inspect = in
		} else {
			return fail("unknown validator %q", s.Validator)
		}
	}
	for _, w := range s.Stopwords {
		r.stopwords = append(r.stopwords, strings.ToLower(w))
	}
	for _, w := range s.SectionKeywords {
		r.sectionKeywords = append(r.sectionKeywords, []byte(strings.ToLower(w)))
	}
	return r, nil
}

// mergeRules lays user specs over the defaults: same id replaces, new id
// appends, ids in disable are dropped.
func mergeRules(defaults, user []RuleSpec, disable []string) ([]RuleSpec, error) {
	if len(user) == 0 && len(disable) == 0 {
		return defaults, nil // read only; the built-in ids are unique (TestRuleFileIsValid)
	}
	out := slices.Clone(defaults)
	for _, u := range user {
		if i := slices.IndexFunc(out, func(r RuleSpec) bool { return r.ID == u.ID }); i >= 0 {
			out[i] = u
		} else {
			out = append(out, u)
		}
	}
	for _, id := range disable {
		i := slices.IndexFunc(out, func(r RuleSpec) bool { return r.ID == id })
		if i < 0 {
			return nil, &RuleError{ID: id, Err: errors.New("cannot disable: no such rule")}
		}
		out = slices.Delete(out, i, i+1)
	}
	seen := map[string]bool{}
	for _, r := range out {
		if seen[r.ID] {
			return nil, &RuleError{ID: r.ID, Err: errors.New("defined twice")}
		}
		seen[r.ID] = true
	}
	return out, nil
}

// startsWithWordBoundary reports whether every match of the regex begins
// with \b.
func startsWithWordBoundary(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	for {
		switch re.Op {
		case syntax.OpWordBoundary:
			return true
		case syntax.OpConcat, syntax.OpCapture:
			if len(re.Sub) == 0 {
				return false
			}
			re = re.Sub[0]
		default:
			return false
		}
	}
}

// maxMatchLen is the longest text the regex can match, in bytes, or -1
// when it is unbounded. An unbounded repetition counts as unbounded
// repetitions (max_length of the rule; 0 means unbounded): a longer secret
// is dismissed anyway.
func maxMatchLen(expr string, unbounded int) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return -1
	}
	times := func(n, k int) int {
		if k < 0 {
			k = unbounded
		}
		if n < 0 || k <= 0 {
			return -1
		}
		return n * k
	}
	var walk func(re *syntax.Regexp) int
	walk = func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
			syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return 0
		case syntax.OpLiteral:
			if re.Flags&syntax.FoldCase != 0 {
				return utf8.UTFMax * len(re.Rune) // k matches the Kelvin sign, s the long s
			}
			n := 0
			for _, r := range re.Rune {
				n += utf8.RuneLen(r)
			}
			return n
		case syntax.OpCharClass:
			if len(re.Rune) > 0 && re.Rune[len(re.Rune)-1] < utf8.RuneSelf {
				return 1
			}
			return utf8.UTFMax
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			return utf8.UTFMax
		case syntax.OpCapture, syntax.OpQuest:
			return walk(re.Sub[0])
		case syntax.OpRepeat:
			return times(walk(re.Sub[0]), re.Max)
		case syntax.OpStar, syntax.OpPlus:
			return times(walk(re.Sub[0]), -1)
		case syntax.OpConcat, syntax.OpAlternate:
			total := 0
			for _, sub := range re.Sub {
				n := walk(sub)
				if n < 0 {
					return -1
				}
				if re.Op == syntax.OpConcat {
					total += n
				} else {
					total = max(total, n)
				}
			}
			return total
		}
		return -1
	}
	return walk(re)
}

// literalPrefix is the literal, matched case-sensitively, that every match
// of re starts with (after \b and other empty-width assertions), or "".
func literalPrefix(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture:
		return literalPrefix(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpWordBoundary, syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEmptyMatch:
				continue
			}
			return literalPrefix(sub)
		}
	}
	return ""
}
