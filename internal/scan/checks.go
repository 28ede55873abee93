package scan

import (
	"bytes"
	"encoding/base64"
	"hash/crc32"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// A check looks at a candidate secret (and the key it was assigned to, for
// rules with a (?P<key>…) group) and reports whether it still looks real.
type check func(e *Engine, secret, key string) bool

var checks = map[string]check{
	"placeholder":          notPlaceholder,
	"low-variety":          notLowVariety,
	"mixed":                isMixed,
	"varied":               isVaried,
	"not-hex":              notHex,
	"not-short-hex":        notShortHex,
	"not-encoded-name":     notEncodedName,
	"not-uuid":             notUUID,
	"not-identifier":       notIdentifier,
	"secret-key-name":      secretKeyName,
	"not-default-password": notDefaultPassword,
	"pem-body":             realPEMBody,
}

// A placeCheck looks at where a candidate secret [s, e) stands in the
// view of the file at path, and reports whether it still looks real.
type placeCheck func(text []byte, s, e int, path string) bool

var placeChecks = map[string]placeCheck{
	"not-code-reference": notCodeReference,
}

func checkNames() []string {
	var n []string
	for k := range checks {
		n = append(n, k)
	}
	for k := range placeChecks {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// codeExts are source files: a value there is a literal only when quoted.
var codeExts = map[string]bool{".go": true, ".py": true, ".pyi": true, ".js": true, ".jsx": true,
	".mjs": true, ".ts": true, ".tsx": true, ".java": true, ".kt": true, ".scala": true, ".rb": true,
	".php": true, ".cs": true, ".swift": true, ".rs": true, ".c": true, ".h": true, ".cc": true,
	".cpp": true, ".dart": true, ".lua": true, ".jl": true}

// notCodeReference rejects, in a source file, an unquoted value shaped
// like a name on a line that is not a comment: privateKey =
// jwtTestEC256PrivateKey and private_key: PKCS7PrivateKeyTypes name a
// variable and a type. Comments keep their findings: a token pasted into
// one is still a leak.
func notCodeReference(text []byte, s, e int, name string) bool {
	if !codeExts[strings.ToLower(path.Ext(name))] || s > 0 && strings.IndexByte("\"'`", text[s-1]) >= 0 {
		return true
	}
	for i := s; i < e; i++ {
		if c := text[i]; !(isWordByte(c) || c == '$' || c == '.') || i == s && c >= '0' && c <= '9' {
			return true
		}
	}
	ls, _ := lineStart(text, s)
	line := bytes.TrimLeft(text[ls:s], " \t")
	for _, m := range []string{"#", "//", "/*", "*", "--", "\"\"\"", "'''"} {
		if bytes.HasPrefix(line, []byte(m)) {
			return true
		}
	}
	return false
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// placeholderVariants spells each placeholder word in lower, upper and
// title case only, so that a random token that happens to contain "FaKe"
// is still reported.
func placeholderVariants(words []string) []string {
	var out []string
	for _, w := range words {
		for _, v := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:min(1, len(w))]) + w[min(1, len(w)):]} {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// notPlaceholder rejects values carrying a placeholder word. It is asked
// of every candidate of most rules: one pass over the secret compares only
// the words that start with the byte at hand.
func notPlaceholder(e *Engine, secret, _ string) bool {
	for i := 0; i < len(secret); i++ {
		for _, w := range e.placeholderByFirst[secret[i]] {
			if strings.HasPrefix(secret[i:], w) {
				return false
			}
		}
	}
	return true
}

// byFirstByte indexes words by their first byte, for notPlaceholder.
func byFirstByte(words []string) *[256][]string {
	var t [256][]string
	for _, w := range words {
		if w != "" {
			t[w[0]] = append(t[w[0]], w)
		}
	}
	return &t
}

// notLowVariety rejects repeated, periodic and sequential fillers such as
// "xxxxxxxx", "abababab", "abcdefgh" and "12345678".
func notLowVariety(_ *Engine, secret, _ string) bool {
	run, seq, maxRun, maxSeq := 1, 1, 1, 1
	for i := 1; i < len(secret); i++ {
		if secret[i] == secret[i-1] {
			run++
		} else {
			run = 1
		}
		// Sequences ignore case: abCDeFGhiJ is still the alphabet.
		if d := int(lower[secret[i]]) - int(lower[secret[i-1]]); d == 1 || d == -1 {
			seq++
		} else {
			seq = 1
		}
		maxRun, maxSeq = max(maxRun, run), max(maxSeq, seq)
	}
	if maxRun >= 6 || maxSeq >= 6 {
		return false
	}
	if len(secret) >= 16 {
		var seen [256]bool
		distinct := 0
		for i := 0; i < len(secret); i++ {
			if !seen[secret[i]] {
				seen[secret[i]] = true
				distinct++
			}
		}
		if distinct < 6 {
			return false
		}
	}
	return true
}

// classes reports which character classes s holds.
func classes(s string) (lower, upper, digit, symbol bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		default:
			symbol = true
		}
	}
	return
}

// isMixed wants letters and digits, or both letter cases and a symbol: a
// random key of 32 URL-safe characters lacks a digit about once in 250, and
// words, numbers and CamelCase names still fail.
func isMixed(_ *Engine, secret, _ string) bool {
	lower, upper, digit, symbol := classes(secret)
	return digit && (lower || upper) || lower && upper && symbol
}

// isVaried wants two of lower case, upper case and digits: random
// alphanumeric tokens always qualify, hyphenated English words do not.
func isVaried(_ *Engine, secret, _ string) bool {
	lower, upper, digit, _ := classes(secret)
	n := 0
	for _, b := range []bool{lower, upper, digit} {
		if b {
			n++
		}
	}
	return n >= 2
}

// notHex rejects hexadecimal strings: hashes, commit ids and digests.
func notHex(_ *Engine, secret, _ string) bool {
	for i := 0; i < len(secret); i++ {
		c := secret[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return true
		}
	}
	return false
}

// notShortHex is notHex but lets 64 hex characters through: under a name
// that says secret, that is secrets.token_hex(32) or openssl rand -hex 32,
// the usual way to make a signing key. Shorter and longer hex values under
// such names are mostly digests and commit ids.
func notShortHex(e *Engine, secret, key string) bool {
	return len(secret) == 64 || notHex(e, secret, key)
}

// notEncodedName rejects short base64 values that decode to a name, a
// placeholder or JSON: QUNDRVNTX0tFWQ== is ACCESS_KEY, eyJOZXh0VG9rZW4i…
// is a pagination token. A base64 secret decodes to random bytes, or to a
// password with digits or symbols, which stay.
func notEncodedName(e *Engine, secret, _ string) bool {
	if len(secret) > 256 || len(secret)%4 != 0 {
		return true
	}
	dec, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		if dec, err = base64.URLEncoding.DecodeString(secret); err != nil {
			return true
		}
	}
	if len(dec) == 0 {
		return true
	}
	letters := true
	for _, c := range dec {
		if c < 0x20 || c >= 0x7f {
			return true // binary: could be a key
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == ' ') {
			letters = false
		}
	}
	if dec[0] == '{' || dec[0] == '[' {
		return false // JSON text: a cursor or a config, not a key
	}
	return !letters && notPlaceholder(e, strings.ToLower(string(dec)), "")
}

// The value checks' regexes compile on first use, not at package init:
// every commit hook pays the start-up, and most runs never reach them.
var uuidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

func notUUID(_ *Engine, secret, _ string) bool { return !uuidRE().MatchString(secret) }

// identifierRE matches names from code: dotted paths, snake_case,
// kebab-case, SCREAMING_SNAKE and camelCase words, file paths of words.
var identifierRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:` +
		`[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+` + // a.b.c
		`|[a-z][a-z0-9]*(?:[_\-/.][a-z0-9]+)+` + // snake, kebab, paths
		`|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+` + // SCREAMING_SNAKE
		`|(?:[a-z]+|[A-Z]+)[0-9]*(?:_(?:[a-z]+|[A-Z]+)[0-9]*)+` + // yaml_PLAIN_SCALAR_STYLE
		`|[a-z]+(?:[A-Z][a-z]+)+[0-9]*` + // camelCase
		`|(?:[A-Z][a-z]+)+[0-9]*` + // PascalCase
		`|[A-Z][a-z]+(?:-[A-Z][a-z]+)+` + // Access-Control-Allow-Credentials, ConvertTo-SecureString
		`|[A-Z][a-z]+[A-Z][a-z]+-[A-Z][a-z]+(?:[A-Z][a-z]+)*` + // PowerShell Verb-Noun
		`)$`)
})

// humpsRE matches camel and Pascal case with acronyms and digits inside
// (MockEc2MetadataProvider, AWSSecretsManager, SessionTokenV2). Random
// tokens take that shape too (zguXbys8Qk9Tflsxh5Xs), so a match counts only
// when its words read like words (wordlike).
var humpsRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z]*(?:[A-Z]+[a-z]*[0-9]{0,3})+$`)
})

// wordlike splits a camel or Pascal case name into words (a capital and
// lower-case letters, an acronym, digits) and reports whether they read
// like the words of a name: every word of three or more lower-case letters
// has a vowel and no four consonants in a row, at most one word is one or
// two letters long, and there are at most two acronyms and two numbers.
// Random letters fail: they make many short words.
func wordlike(s string) bool {
	short, acronyms, numbers := 0, 0, 0
	for i := 0; i < len(s); {
		j := i
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			numbers++
		case c >= 'A' && c <= 'Z' && (i+1 == len(s) || s[i+1] < 'a' || s[i+1] > 'z'):
			for j < len(s) && s[j] >= 'A' && s[j] <= 'Z' && (j+1 == len(s) || s[j+1] < 'a' || s[j+1] > 'z') {
				j++
			}
			acronyms++
		default:
			if c >= 'A' && c <= 'Z' {
				j++
			}
			k := j
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			if j-i <= 2 {
				short++
			} else if !pronounceable(s[k:j]) {
				return false
			}
		}
		if j == i {
			return false
		}
		i = j
	}
	return short <= 1 && acronyms <= 2 && numbers <= 2
}

// pronounceable reports whether lower-case letters have a vowel and no
// four consonants in a row.
func pronounceable(w string) bool {
	cons, vowel := 0, false
	for i := 0; i < len(w); i++ {
		if strings.IndexByte("aeiouy", w[i]) >= 0 {
			vowel, cons = true, 0
		} else if cons++; cons >= 4 {
			return false
		}
	}
	return vowel
}

// modelRepoRE matches a Hub repository id, org/name, of words, numbers and
// short version or size tags (v0.3, 7B, 3.1): "token-classification":
// "dslim/bert-base-NER" names a model, not a token.
var modelRepoRE = sync.OnceValue(func() *regexp.Regexp {
	word := `(?:[A-Za-z]+|[0-9]+|[A-Za-z]{0,2}[0-9]+[A-Za-z]{0,2})`
	part := word + `(?:[-_.]` + word + `)*`
	return regexp.MustCompile(`^` + part + `/` + part + `$`)
})

// notIdentifier rejects names from code, also when the value is the rest
// of a string concatenation ("TOKEN="+cfg.TokenWrite).
func notIdentifier(_ *Engine, secret, _ string) bool {
	s := strings.TrimLeft(secret, "+&*!_")
	return !identifierRE().MatchString(s) && !(humpsRE().MatchString(s) && wordlike(s)) &&
		!(strings.Count(s, "/") == 1 && modelRepoRE().MatchString(s))
}

// A key names a value that is not a secret, even though it mentions one,
// when one of its words is about something else: a hash, an id, a size, a
// path, a tokenizer setting. Words are split at non-letters and at camelCase
// humps, and a part must start a word, so "account_key", "shared_secret" and
// "admin_password" are not "count", "sha" and "min". Compared ignoring case.
var (
	// benignStems may run on within their word (filename, hashes, expires).
	benignStems = []string{"checksum", "digest", "integrity", "uuid", "public", "length",
		"endpoint", "prefix", "format", "header", "model", "tokenizer", "timeout", "version", "sock",
		"method", "expir", "limit", "count", "size", "name", "path", "file", "type", "hash"}
	// benignWords are whole words, or followed by digits or a plural s
	// (sha256, urls).
	benignWords = []string{"sha", "dir", "url", "uri", "rpc", "len", "ttl", "max", "min", "num", "route",
		"next", "page", "cursor", "continuation", "pagination"} // paging tokens
	// benignLast are benign as the last word only (token_id, max_tokens).
	benignLast = []string{"id", "tokens"}
)

// benignKey reports whether a key is such a name.
func benignKey(name []byte) bool {
	isLetter := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	// A word starts, and the one before it ends, at a letter after a
	// non-letter or at a camelCase hump (an upper-case letter after a
	// lower-case one); a word also ends where the name does.
	boundary := func(j int) bool {
		return j == 0 || j >= len(name) || !isLetter(name[j]) || !isLetter(name[j-1]) || isUpper(name[j]) && !isUpper(name[j-1])
	}
	for i := range name {
		if !isLetter(name[i]) || !boundary(i) {
			continue
		}
		for _, p := range benignStems {
			if hasPrefixFold(name[i:], []byte(p)) {
				return true
			}
		}
		for _, w := range benignWords {
			if !hasPrefixFold(name[i:], []byte(w)) {
				continue
			}
			j := i + len(w)
			if j < len(name) && lower[name[j]] == 's' && boundary(j+1) {
				j++ // a plural
			}
			if boundary(j) {
				return true
			}
		}
		for _, w := range benignLast {
			if i+len(w) == len(name) && hasPrefixFold(name[i:], []byte(w)) {
				return true
			}
		}
	}
	return false
}

func secretKeyName(_ *Engine, _, key string) bool { return !benignKey([]byte(key)) }

// defaultPasswords are the stock passwords of development containers and
// tutorials; a URL carrying one is an example, not a leak.
var defaultPasswords = map[string]bool{
	"password": true, "pass": true, "passwd": true, "secret": true, "postgres": true,
	"root": true, "admin": true, "guest": true, "test": true, "user": true, "mysql": true,
	"redis": true, "rabbitmq": true, "example": true, "pw": true, "pwd": true, "changeme": true,
	"mongo": true, "mongodb": true, "default": true, "letmein": true, "123456": true,
}

func notDefaultPassword(_ *Engine, secret, _ string) bool {
	s := strings.ToLower(secret)
	if defaultPasswords[s] || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "%") || strings.HasPrefix(s, "{") {
		return false
	}
	return true
}

// realPEMBody rejects PEM blocks whose body is elided or a placeholder.
func realPEMBody(_ *Engine, secret, _ string) bool {
	body := secret
	if i := strings.Index(body, "-----\n"); i >= 0 {
		body = body[i:]
	}
	for _, bad := range []string{"...", "…", "<", ">", "xxxx", "XXXX", "EXAMPLE", "${"} {
		if strings.Contains(body, bad) {
			return false
		}
	}
	b64 := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			b64++
		}
	}
	return b64 >= 48
}

// gates are cheap tests of the text at a keyword hit, run before a rule's
// regex: a regex call costs far more than these few byte comparisons, and
// most hits of common words fail them.
var gates = map[string]func(text []byte, at int) bool{
	"assignment": isAssignment,
	"hex40":      hex40Ahead,
}

// hex40Ahead reports whether a keyword hit can start "key = <40 hex>" or
// "-u user:<40 hex>": most hits of "key" and "password" in code are
// followed by neither, and this turns them away in a few byte comparisons.
// It lets through everything the wandb-api-key-section regex matches.
func hex40Ahead(text []byte, at int) bool {
	i := at
	if text[i] == '-' {
		// curl -u/--user: the value follows the first colon.
		c := bytes.IndexByte(text[i:min(len(text), i+48)], ':')
		return c >= 0 && hexRun40(text, i+c+1)
	}
	for i < len(text) && (text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z' || text[i] >= utf8.RuneSelf) {
		i++
	}
	for q := 0; q < 2 && i < len(text) && (text[i] == '"' || text[i] == '\'' || text[i] == ']'); q++ {
		i++
	}
	i = skipBlanks(text, i)
	if i >= len(text) || text[i] != '=' && text[i] != ':' {
		return false
	}
	for k := 0; k < 2 && i < len(text) && (text[i] == '=' || text[i] == ':' || text[i] == '>'); k++ {
		i++
	}
	i = skipBlanks(text, i)
	if i < len(text) && (text[i] == '"' || text[i] == '\'') {
		i++
	}
	return hexRun40(text, i)
}

// hexRun40 reports whether 40 hex digits start at i.
func hexRun40(text []byte, i int) bool {
	if i+40 > len(text) {
		return false
	}
	for _, c := range text[i : i+40] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// isAssignment reports whether text at a keyword hit starts with a name
// assigned a value that the generic rule could report: up to 96 bytes of
// name characters, up to two closing quotes or brackets, blanks, then an
// operator (= : := ::= ?= .= =>, a comma after a quoted name as in
// os.environ.get("X_TOKEN", "…"), or the > of an XML element) and a run of
// at least 16 value characters ending the way the rule's regex wants. A
// type annotation (name: str = "…", Go's var name string = "…") is looked
// through. A name the secret-key-name check dismisses (token_hash,
// secret_name: the whole name, read back from before the hit as the check
// reads it) is turned away here, before the regex. It must let through
// whatever the rule would report; FuzzAssignmentGate checks that.
func isAssignment(text []byte, at int) bool {
	b := text[at:]
	// Bytes from 0x80 count as name and value characters: under (?i) the
	// rule's [a-z] also matches the Kelvin sign and the long s.
	i, n := 0, min(len(b), 96)
	for i < n && (isWordByte(b[i]) || b[i] == '.' || b[i] == '-' || b[i] >= utf8.RuneSelf) {
		i++
	}
	name := b[:i]
	quoted := false
	for q := 0; q < 2 && i < len(b) && (b[i] == '"' || b[i] == '\'' || b[i] == ']'); q++ {
		quoted = quoted || b[i] != ']'
		i++
	}
	i = skipBlanks(b, i)
	if i >= len(b) {
		return false
	}
	ok := false
	switch c := b[i]; {
	case c == ':':
		ok = hasValue(b[i:]) || typedValue(b, i)
	case c == '=', c == '>', c == ',' && quoted:
		ok = hasValue(b[i:])
	case (c == '?' || c == '.') && i+1 < len(b) && b[i+1] == '=':
		ok = hasValue(b[i+1:])
	case c == '*' || isTypeStart(c):
		ok = goTypedValue(b, i)
	}
	// A match here has a key group that is this name (it is name
	// characters and must be followed by something else), and the check
	// reads the same name back from the same place.
	return ok && !benignKey(text[keyStart(text, at):at+len(name)])
}

// goTypedValue reports whether b[i:] is a Go type then = and a value, as
// in var apiToken string = "…".
func goTypedValue(b []byte, i int) bool {
	if b[i] == '*' {
		i++
	}
	for k := i; k <= len(b) && k <= i+4*31; k++ {
		if k == len(b) || !isTypeByte(b[k]) || b[k] == ' ' {
			m := skipBlanks(b, k)
			if m < len(b) && (b[m] == '?' || b[m] == '.') && m+1 < len(b) && b[m+1] == '=' {
				m++
			}
			return m < len(b) && (b[m] == '=' || b[m] == ':') && hasValue(b[m:])
		}
	}
	return false
}

// typedValue reports whether the colon at b[i] starts "Type = value". Like
// the rule's regex, the type is one run of type characters after the colon;
// searching further (an earlier version looked 128 bytes on, across lines)
// let YAML such as "api_key_header: X-Api-Key\n  revision: <sha>" through to
// the regex.
func typedValue(b []byte, i int) bool {
	j := skipBlanks(b, i+1)
	if j >= len(b) || !isTypeStart(b[j]) {
		return false
	}
	// 30 characters of up to 4 bytes: multi-byte letters count once in the regex.
	for k := j + 1; k <= len(b) && k <= j+4*31; k++ {
		if m := skipBlanks(b, k); m < len(b) && (b[m] == '=' || b[m] == ':') && hasValue(b[m:]) {
			return true
		}
		if k == len(b) || !isTypeByte(b[k]) {
			break
		}
	}
	return false
}

// isTypeStart and isTypeByte are the generic rule's [a-z_] and
// [a-z0-9_.\[\]| ] under (?i); bytes from 0x80 count, as in isAssignment.
func isTypeStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= utf8.RuneSelf
}

func isTypeByte(c byte) bool {
	return isTypeStart(c) || c >= '0' && c <= '9' || strings.IndexByte(".[]| ", c) >= 0
}

func skipBlanks(b []byte, i int) int {
	for s := 0; s < 5 && i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] == '\f' || b[i] == '\v'); s++ {
		i++
	}
	return i
}

// hasValue reports whether b, starting at an assignment operator, holds a
// value the generic rule could match: a run of at least 16 value characters
// that ends the way the rule's regex wants (a quote, a blank, , ; ) or &,
// or the end). A run longer than any match is accepted and left to the regex,
// so the work per hit stays bounded.
func hasValue(b []byte) bool {
	const enough = 256 // past the rule's max_length: the regex decides
	for op := 1; op <= 4 && op <= len(b); op++ {
		if op > 1 && strings.IndexByte(":=>", b[op-1]) < 0 {
			break
		}
		i := skipBlanks(b, op)
		if i < len(b) && (b[i] == '"' || b[i] == '\'' || b[i] == '`') {
			i++
		}
		j := i
		for j < len(b) && j-i < enough && isValueByte(b[j]) {
			j++
		}
		switch {
		case j-i < 16:
		case j-i >= enough, j == len(b), strings.IndexByte("\"'`<\\ \t\n\r\f\v,;)&", b[j]) >= 0:
			return true
		}
	}
	return false
}

func isValueByte(c byte) bool { return valueBytes[c] }

// valueBytes is isValueByte as a table: the gate asks it of every byte of
// every candidate value, which on ML code means most bytes of the file.
var valueBytes = func() (t [256]bool) {
	for i := range t {
		c := byte(i)
		t[i] = isWordByte(c) || c >= utf8.RuneSelf || strings.IndexByte("-+/=.~!@#%^*", c) >= 0
	}
	return t
}()

// validators are offline validity checks of a secret's own structure.
var validators = map[string]func(string) bool{
	"github-crc32": githubChecksumOK,
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// githubChecksumOK checks the CRC-32 that GitHub puts in the last six
// characters of its 40-character tokens (prefix_ + 30 random + 6 checksum).
func githubChecksumOK(tok string) bool {
	i := strings.IndexByte(tok, '_')
	if i < 0 || len(tok)-i-1 != 36 {
		return false
	}
	body := tok[i+1:]
	sum := crc32.ChecksumIEEE([]byte(body[:30]))
	var enc [6]byte
	for j := 5; j >= 0; j-- {
		enc[j] = base62[sum%62]
		sum /= 62
	}
	return string(enc[:]) == body[30:]
}
