package scan

import (
	"bytes"
	"regexp"
	"sync"
	"time"
)

// An inspector reads a candidate secret beyond its characters: what it
// decodes to (a JWT, a Neptune token) or the text around it (the provider a
// bare hex key belongs to). start and end place the secret in text. Rules
// name an inspector in their validator field.
type inspector func(text []byte, start, end int) (verdict, detail)

// verdict is what an inspector makes of a candidate.
type verdict int

const (
	keepIt verdict = iota
	// dismiss: not a live credential (a documentation sample, an expired
	// or public token). The rule still claims the span, so that the
	// generic rule does not report it either.
	dismiss
	// notOurs: the context the rule needs is missing; another rule (a
	// provider's wider one, the generic one) may still report the span.
	notOurs
)

// detail is what a finding tells about its secret beyond the masked value.
// It never holds the secret or a part of it.
type detail struct {
	note    string    // "username alice", "role service_role"
	expires time.Time // zero when the secret does not say
}

var inspectors = map[string]inspector{
	"jwt":                  inspectJWT,
	"neptune":              inspectNeptune,
	"kaggle":               kaggleUsername,
	"kaggle-json":          kaggleJSON,
	"connection-string":    connectionString,
	"deepseek-context":     near(1024, "deepseek"),
	"gemini-context":       near(512, "gemini", "generativelanguage", "genai", "generativeai", "aistudio"),
	"azure-openai-context": near(1024, "openai.azure.com", "azure_openai", "azureopenai"),
	"clearml-context":      near(1024, "clearml", "clear.ml", "api_server"),
}

// near accepts a secret when one of words (lower case) occurs within n bytes
// of it, in any case: the provider a bare hex key belongs to is named by
// the variable, the client class or the endpoint beside it.
func near(n int, words ...string) inspector {
	return func(text []byte, start, end int) (verdict, detail) {
		around := bytes.ToLower(text[max(start-n, 0):min(end+n, len(text))])
		for _, w := range words {
			if bytes.Contains(around, []byte(w)) {
				return keepIt, detail{}
			}
		}
		return notOurs, detail{}
	}
}

// kaggleUsernameRE finds the KAGGLE_USERNAME that pairs with a KAGGLE_KEY.
var kaggleUsernameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)kaggle_username["'\]]{0,2}\s*(?:=|:)\s*["']?([A-Za-z0-9][A-Za-z0-9_.\-]{0,63})`)
})

// kaggleUsername adds the account of a KAGGLE_KEY when a KAGGLE_USERNAME
// is set within 4 KiB of it (the same .env file, notebook cell or script).
func kaggleUsername(text []byte, start, end int) (verdict, detail) {
	lo, hi := max(start-4096, 0), min(end+4096, len(text))
	if m := kaggleUsernameRE().FindSubmatch(text[lo:hi]); m != nil {
		return keepIt, detail{note: "username " + string(m[1])}
	}
	return keepIt, detail{}
}

var kaggleJSONUserRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`["']username["']\s*:\s*["']([^"'\s]{1,64})["']`)
})

// kaggleJSON wants the "username" beside a "key" (kaggle.json holds only
// these two): a "key" of 32 hex digits alone is too common to call Kaggle's.
func kaggleJSON(text []byte, start, end int) (verdict, detail) {
	lo, hi := max(start-256, 0), min(end+256, len(text))
	m := kaggleJSONUserRE().FindSubmatch(text[lo:hi])
	if m == nil {
		return notOurs, detail{}
	}
	return keepIt, detail{note: "username " + string(m[1])}
}

// connKeyRE is a key of an ADO.NET, ODBC or JDBC connection string other
// than the password.
var connKeyRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[;"'\s])(?:server|data source|datasource|host|hostname|address|addr|network address|driver|dsn|database|databasename|initial catalog|uid|user id|userid|user|username|port|provider)\s*=`)
})

// connectionString accepts a Password= or Pwd= only inside a connection
// string: the quoted or line-long stretch around it holds a semicolon and
// another connection key. A lone password=… is the generic rule's.
func connectionString(text []byte, start, end int) (verdict, detail) {
	isEdge := func(c byte) bool { return c == '"' || c == '\'' || c == '`' || c == '\n' }
	lo := start
	for lo > 0 && start-lo < 1024 && !isEdge(text[lo-1]) {
		lo--
	}
	hi := end
	for hi < len(text) && hi-end < 1024 && !isEdge(text[hi]) {
		hi++
	}
	seg := text[lo:hi]
	if bytes.IndexByte(seg, ';') < 0 || !connKeyRE().Match(seg) {
		return notOurs, detail{}
	}
	return keepIt, detail{}
}
