// Package workflow writes GitHub Actions workflow commands
// ("::error file=a.py,line=3::message", "::add-mask::value") with the
// runner's escaping, so that what the runner decodes is what was meant.
package workflow

import (
	"fmt"
	"io"
	"strings"
)

// The escaping of @actions/core (toolkit packages/core/src/command.ts),
// which the runner undoes: in the data, % CR LF; in a property value, also
// the : and , that separate properties.
var (
	data     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	property = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// EscapeData escapes a command's data, the part after the second "::".
func EscapeData(s string) string { return data.Replace(s) }

// EscapeProperty escapes a property value (file=…, title=…).
func EscapeProperty(s string) string { return property.Replace(s) }

// Property is one key=value of a command; Value is escaped on output.
type Property struct{ Key, Value string }

// Command writes one workflow command line: ::name k=v,k=v::data.
func Command(w io.Writer, name string, props []Property, msg string) error {
	var b strings.Builder
	b.WriteString("::" + name)
	for i, p := range props {
		sep := ","
		if i == 0 {
			sep = " "
		}
		b.WriteString(sep + p.Key + "=" + EscapeProperty(p.Value))
	}
	b.WriteString("::" + EscapeData(msg) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// InActions reports whether a GitHub Actions runner reads the output: the
// runner sets GITHUB_ACTIONS=true in every step.
func InActions(getenv func(string) string) bool { return getenv("GITHUB_ACTIONS") == "true" }

// AddMask asks the runner to hide value from every later log line. Masking
// means handing the runner the value, so this is the one command that
// writes a secret, and only when a runner reads it (InActions): anywhere
// else it would print the secret. The runner masks line by line, so each
// line of a multi-line value is registered on its own.
func AddMask(w io.Writer, getenv func(string) string, value string) error {
	if !InActions(getenv) {
		return nil
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(value, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue // the runner refuses a blank mask
		}
		if _, err := fmt.Fprintf(w, "::add-mask::%s\n", EscapeData(line)); err != nil {
			return err
		}
	}
	return nil
}
