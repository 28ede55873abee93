package redact

import "strings"

// String's scanner is written by hand rather than with package regexp:
// every binary links this package, and regexp (through regexp/syntax and
// unicode's tables) costs the shell fast path, tokenage warn, about 25 page
// faults a start (issue 18). It finds exactly what the regular expressions
// in reference_test.go find; FuzzStringMatchesRegexp holds it to them.

// replace rewrites, left to right and without overlap, each match that
// at(s, i) finds starting at i; at returns the match's end (-1: none) and
// its replacement. That is regexp's ReplaceAllStringFunc: the leftmost
// match wins, and the search goes on where it ended.
func replace(s string, at func(s string, i int) (end int, with string)) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		end, with := at(s, i)
		if end < 0 {
			i++
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(with)
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// shape is a credential by its documented shape: one of a few literal
// prefixes, then a run of class characters, at least min long and, when
// max > 0, at most max (greedy, as regexp's {min,} and {min,max}), then
// for a few shapes a tail. The shapes are deliberately broad: masking a
// harmless string in a log costs little.
type shape struct {
	prefixes  []string // tried in order; the first that makes a token wins
	wordStart bool     // the prefix starts a word (regexp's \b before it)
	class     func(byte) bool
	min, max  int
	wordEnd   bool                      // the run ends a word (\b after it)
	tail      func(s string, i int) int // the token's end, given the run ends at i; -1: no token
}

// shapes are tried in order at each position: the first that matches wins,
// as the first alternative of a regexp does.
var shapes = []shape{
	{prefixes: []string{"hf_oauth_", "hf_"}, class: isAlnum, min: 20},
	{prefixes: []string{"api_org_"}, class: isAlnum, min: 20},
	// New installation tokens are ghs_<appid>_<JWT>: follow the JWT's dots,
	// but not a sentence's final period. Listed before the classic shape
	// because the first shape that matches wins.
	{prefixes: []string{"ghs_"}, class: isDigit, min: 1, tail: installationTail},
	{prefixes: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, class: isWord, min: 20},
	{prefixes: []string{"github_pat_"}, class: isWord, min: 20},
	// The word guards keep words such as "risk-assessment-…" out.
	{prefixes: []string{"ak-", "as-"}, wordStart: true, class: isAlnum, min: 12},
	{prefixes: []string{"sk-"}, wordStart: true, class: isWordDash, min: 20},
	{prefixes: []string{"wandb_v1_"}, class: isWordDash, min: 10},
	{prefixes: []string{"AKIA", "ASIA"}, wordStart: true, class: isBase32, min: 16, max: 16, wordEnd: true},
	{prefixes: []string{"xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-"}, class: isAlnumDash, min: 10},
	// Prefixed keys of the providers secretscan detects (issue 14).
	{prefixes: []string{"xapp-"}, wordStart: true, class: isAlnumDash, min: 20},
	{prefixes: []string{"xoxe.", "xoxe-"}, wordStart: true, class: isAlnumDotDash, min: 20},
	{prefixes: []string{"xai-", "pplx-", "csk-"}, wordStart: true, class: isWord, min: 20},
	{prefixes: []string{"fw_", "rpa_", "esecret_", "jina_"}, wordStart: true, class: isAlnum, min: 20},
	{prefixes: []string{"sk_"}, wordStart: true, class: isHex, min: 40},
	{prefixes: []string{"dapi"}, wordStart: true, class: isHex, min: 32, max: 32},
	// A Neptune token: base64 of {"api_…, with its padding.
	{prefixes: []string{"eyJhcGlf"}, wordStart: true, class: isBase64, min: 40, tail: paddingTail},
	// A JWT (OAuth access tokens) is a bearer credential on its own.
	{prefixes: []string{"eyJ"}, wordStart: true, class: isWordDash, min: 8, tail: jwtTail},
}

// tokenStarts holds the first byte of every prefix in shapes (a test keeps
// the two in step): one look rules out most positions.
const tokenStarts = "hagswAxpcfrejd"

// tokenShape finds a token of any shape starting at s[i] and masks it.
func tokenShape(s string, i int) (int, string) {
	if strings.IndexByte(tokenStarts, s[i]) < 0 {
		return -1, ""
	}
	for k := range shapes {
		if end := shapes[k].match(s, i); end >= 0 {
			return end, Mask(s[i:end])
		}
	}
	return -1, ""
}

// match returns the end of the token of this shape that starts at s[i],
// or -1. Every prefix starts with a letter, so a word starts at i when the
// byte before is not a word character (regexp's \b is ASCII too).
func (sh *shape) match(s string, i int) int {
	if sh.wordStart && i > 0 && isWord(s[i-1]) {
		return -1
	}
	for _, p := range sh.prefixes {
		if p[0] != s[i] || !strings.HasPrefix(s[i:], p) {
			continue
		}
		start := i + len(p)
		end := start
		for end < len(s) && (sh.max == 0 || end-start < sh.max) && sh.class(s[end]) {
			end++
		}
		if end-start < sh.min || sh.wordEnd && end < len(s) && isWord(s[end]) {
			continue
		}
		if sh.tail != nil {
			if end = sh.tail(s, end); end < 0 {
				continue
			}
		}
		return end
	}
	return -1
}

// installationTail follows ghs_<digits> with _<part> and one or more
// .<part>: the JWT of a new installation token.
func installationTail(s string, i int) int {
	if i >= len(s) || s[i] != '_' {
		return -1
	}
	j := span(s, i+1, isWordDash)
	if j == i+1 {
		return -1
	}
	end := -1
	for j < len(s) && s[j] == '.' {
		k := span(s, j+1, isWordDash)
		if k == j+1 {
			break // a sentence's final period
		}
		end, j = k, k
	}
	return end
}

// jwtTail follows a JWT's header with .<payload of 8 or more>.<signature>.
func jwtTail(s string, i int) int {
	if i >= len(s) || s[i] != '.' {
		return -1
	}
	j := span(s, i+1, isWordDash)
	if j-(i+1) < 8 || j >= len(s) || s[j] != '.' {
		return -1
	}
	return span(s, j+1, isWordDash)
}

// paddingTail takes up to two '=' of base64 padding.
func paddingTail(s string, i int) int {
	for n := 0; n < 2 && i < len(s) && s[i] == '='; n++ {
		i++
	}
	return i
}

// authHeader finds, case-insensitively, "Bearer <v>", "Basic <v>" and
// GitHub's "Authorization: token <v>" starting at s[i], and masks v only.
// A bare "token <v>" is not enough: "token /home/…/token" is a path.
func authHeader(s string, i int) (int, string) {
	if i > 0 && isWord(s[i-1]) {
		return -1, ""
	}
	j := foldPrefix(s, i, "bearer")
	if j < 0 {
		j = foldPrefix(s, i, "basic")
	}
	if j >= 0 {
		j = spaces(s, j, 1)
	} else if j = foldPrefix(s, i, "authorization:"); j >= 0 {
		if j = foldPrefix(s, spaces(s, j, 0), "token"); j >= 0 {
			j = spaces(s, j, 1)
		}
	}
	if j < 0 {
		return -1, ""
	}
	end, n := j, 0
	for w := headerValueChar(s[end:]); w > 0; w = headerValueChar(s[end:]) {
		end += w
		n++
	}
	if n < 16 {
		return -1, ""
	}
	return end, s[i:j] + Mask(s[j:end])
}

// foldPrefix returns the end of word (lower case) at s[i], matched as
// regexp's (?i) does: by simple case folding, under which "s" also matches
// U+017F (ſ) and "k" U+212A (the Kelvin sign). -1: no match.
func foldPrefix(s string, i int, word string) int {
	for k := 0; k < len(word); k++ {
		c := word[k]
		switch {
		case i < len(s) && (s[i] == c || 'a' <= c && c <= 'z' && s[i] == c-'a'+'A'):
			i++
		case c == 's' && strings.HasPrefix(s[i:], "\u017f"):
			i += len("\u017f")
		case c == 'k' && strings.HasPrefix(s[i:], "\u212a"):
			i += len("\u212a")
		default:
			return -1
		}
	}
	return i
}

// headerValueChar returns the length of the character at the start of s
// when it can be part of an authorization value, else 0: the token68
// characters [A-Za-z0-9._~+/=-], and ſ and K, which regexp's (?i) folds
// into [A-Za-z].
func headerValueChar(s string) int {
	switch {
	case s == "":
		return 0
	case isAlnum(s[0]) || strings.IndexByte("._~+/=-", s[0]) >= 0:
		return 1
	case strings.HasPrefix(s, "\u017f"):
		return len("\u017f")
	case strings.HasPrefix(s, "\u212a"):
		return len("\u212a")
	}
	return 0
}

// spaces skips the white space (regexp's \s: tab, newline, form feed,
// carriage return, space) at s[i], and returns where it ends, or -1 when
// there are fewer than min.
func spaces(s string, i, min int) int {
	j := i
	for j < len(s) && strings.IndexByte("\t\n\f\r ", s[j]) >= 0 {
		j++
	}
	if j-i < min {
		return -1
	}
	return j
}

// urlPassword finds the password of a URL such as https://user:secret@host
// (git remotes) at s[i] and masks it.
func urlPassword(s string, i int) (int, string) {
	if !strings.HasPrefix(s[i:], "://") {
		return -1, ""
	}
	user := spanNot(s, i+3, "\t\n\f\r /:@")
	if user == i+3 || user == len(s) || s[user] != ':' {
		return -1, ""
	}
	pass := spanNot(s, user+1, "\t\n\f\r /@")
	if pass == user+1 || pass == len(s) || s[pass] != '@' {
		return -1, ""
	}
	return pass + 1, s[i:user+1] + Mask(s[user+1:pass]) + "@"
}

// span returns the end of the run of class bytes at s[i].
func span(s string, i int, class func(byte) bool) int {
	for i < len(s) && class(s[i]) {
		i++
	}
	return i
}

// spanNot returns the end of the run at s[i] of bytes not in stop (all
// ASCII, so a multi-byte character never stops the run).
func spanNot(s string, i int, stop string) int {
	for i < len(s) && strings.IndexByte(stop, s[i]) < 0 {
		i++
	}
	return i
}

// The character classes of the shapes; all ASCII, as the shapes are.

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isWord is regexp's \w, which its \b is defined by.
func isWord(c byte) bool         { return isAlnum(c) || c == '_' }
func isWordDash(c byte) bool     { return isWord(c) || c == '-' }
func isAlnumDash(c byte) bool    { return isAlnum(c) || c == '-' }
func isAlnumDotDash(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }
func isHex(c byte) bool          { return isDigit(c) || 'a' <= c && c <= 'f' }
func isBase32(c byte) bool       { return 'A' <= c && c <= 'Z' || '2' <= c && c <= '7' }
func isBase64(c byte) bool       { return isAlnum(c) || c == '+' || c == '/' }
