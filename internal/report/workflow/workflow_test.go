package workflow

import (
	"bytes"
	"strings"
	"testing"
)

// The documented rules (GitHub's "Workflow commands" page and
// @actions/core's command.ts): data escapes % CR LF; properties also : and ,.
func TestEscapeFollowsTheDocumentedRules(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain text", "plain text", "plain text"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"file:1,2", "file:1,2", "file%3A1%2C2"},
		{"%0A", "%250A", "%250A"}, // an escape-looking input stays itself
		{"%%3A,", "%25%253A,", "%25%253A%2C"},
		{"", "", ""},
	} {
		if got := EscapeData(tc.in); got != tc.data {
			t.Errorf("EscapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := EscapeProperty(tc.in); got != tc.prop {
			t.Errorf("EscapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

// parse reads a command line as the runner does (ActionCommand.TryParse):
// name and properties up to the second "::", properties split on "," and
// the first "=", then each value and the data unescaped.
func parse(t *testing.T, line string) (name string, props map[string]string, data string) {
	t.Helper()
	rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "::")
	head, data, ok2 := strings.Cut(rest, "::")
	if !ok || !ok2 {
		t.Fatalf("not a command: %q", line)
	}
	unescape := func(s string, property bool) string {
		pairs := []string{"%0D", "\r", "%0A", "\n"}
		if property {
			pairs = append(pairs, "%3A", ":", "%2C", ",")
		}
		for i := 0; i < len(pairs); i += 2 {
			s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
		}
		return strings.ReplaceAll(s, "%25", "%") // last, as the runner does
	}
	name, list, _ := strings.Cut(head, " ")
	props = map[string]string{}
	if list != "" {
		for _, kv := range strings.Split(list, ",") {
			k, v, _ := strings.Cut(kv, "=")
			props[k] = unescape(v, true)
		}
	}
	return name, props, unescape(data, false)
}

func TestCommandRoundTripsThroughTheRunnersParser(t *testing.T) {
	for _, s := range []string{"a,b:c.env", "100% sure", "two\nlines\r\n", "x=y", "%25", "::", "é:,%\n"} {
		var b bytes.Buffer
		if err := Command(&b, "error", []Property{{"file", s}, {"title", "t " + s}}, "msg "+s); err != nil {
			t.Fatal(err)
		}
		if strings.Count(b.String(), "\n") != 1 {
			t.Fatalf("%q: not one line: %q", s, b.String())
		}
		name, props, data := parse(t, b.String())
		if name != "error" || props["file"] != s || props["title"] != "t "+s || data != "msg "+s {
			t.Errorf("%q: runner reads name %q props %q data %q", s, name, props, data)
		}
	}
}

func TestAddMaskOnlyForTheRunner(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GITHUB_ACTIONS" {
				return v
			}
			return ""
		}
	}
	for _, v := range []string{"", "false", "1"} {
		var b bytes.Buffer
		if err := AddMask(&b, env(v), "hf_secret"); err != nil || b.Len() != 0 {
			t.Errorf("GITHUB_ACTIONS=%q: wrote %q (%v); the value must not be printed outside Actions", v, b.String(), err)
		}
	}
	var b bytes.Buffer
	if err := AddMask(&b, env("true"), "pa%ss\r\nline2\n\n"); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one mask per non-blank line, got %q", b.String())
	}
	for i, want := range []string{"pa%ss", "line2"} {
		name, _, data := parse(t, lines[i])
		if name != "add-mask" || data != want {
			t.Errorf("mask %d: runner reads %q %q, want add-mask %q", i, name, data, want)
		}
	}
}
