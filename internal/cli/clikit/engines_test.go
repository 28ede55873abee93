package clikit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
)

// engineExceptions are string literals in engine packages that name a tool
// or one of its flags for a reason other than wording a command line, keyed
// by file (relative to internal/) and the literal's value. Each must still
// occur: one that no longer does fails the test, to be deleted.
var engineExceptions = map[[2]string]string{
	{"scan/baseline.go", "not a secretscan baseline file"}: "names the file format that `secretscan baseline` writes; pushguard reads it too",
}

// TestEnginesDoNotWordCommandLines keeps the engine packages (every package
// under internal/ but the commands, internal/cli/…) free of the tools' names
// and flags in string literals: engines return reasons (token.Kind, fields,
// sentinel errors) and each command words its own hints. The names and flags
// are read from the five tools' kong models, so a new flag is covered.
func TestEnginesDoNotWordCommandLines(t *testing.T) {
	tools, flags := commandLines(t)
	if len(tools) != 5 || len(flags) < 20 {
		t.Fatalf("read %d tools and %d flags from the models: %q %q", len(tools), len(flags), tools, flags)
	}
	toolRe := regexp.MustCompile(`\b(` + strings.Join(tools, "|") + `)\b`)
	quoted := make([]string, len(flags))
	for i, f := range flags {
		quoted[i] = regexp.QuoteMeta(f)
	}
	// A flag as a word of prose: "use --strict", "(--repo ID:dataset)".
	flagRe := regexp.MustCompile(`(^|[^A-Za-z0-9-])--(` + strings.Join(quoted, "|") + `)($|[^A-Za-z0-9-])`)

	root := filepath.Join("..", "..")
	used := map[[2]string]bool{}
	files := 0
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			switch {
			case rel == "cli", e.Name() == "testdata":
				return filepath.SkipDir // the commands word their own command lines
			case rel == "shell":
				return filepath.SkipDir // the rc snippets run tokenage: naming it is their content
			case strings.HasSuffix(e.Name(), "test") && rel != ".":
				return filepath.SkipDir // fakes for tests (hubtest, tokentest, gittest)
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		for _, lit := range stringLiterals(t, path) {
			key := [2]string{rel, lit.value}
			if _, ok := engineExceptions[key]; ok {
				used[key] = true
				continue
			}
			// An argument for another program (git's "--all", "--format=%(objectname)")
			// starts with a dash; prose never does.
			if m := flagRe.FindString(lit.value); m != "" && !strings.HasPrefix(lit.value, "-") {
				t.Errorf("%s:%d: %q names our flag %s: return a reason (a Kind, a field, a sentinel error) and let the command word it",
					rel, lit.line, lit.value, strings.Trim(m, " ()`'\"=,.:;"))
			}
			if m := toolRe.FindString(lit.value); m != "" {
				t.Errorf("%s:%d: %q names the tool %s: an engine serves several tools; let the command word it", rel, lit.line, lit.value, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read only %d engine files under %s", files, root)
	}
	for key, why := range engineExceptions {
		if !used[key] {
			t.Errorf("exception %q in %s (%s) matches no literal any more: delete it", key[1], key[0], why)
		}
	}
}

// commandLines reads the tools' names and long flags (negations and aliases
// included) from the models their Main functions build.
func commandLines(t *testing.T) (tools, flags []string) {
	var parsers []*kong.Kong
	restore := clikit.InspectParsers(func(k *kong.Kong) { parsers = append(parsers, k) })
	defer restore()
	for _, main := range mains {
		main([]string{"--help"}, io.Discard, io.Discard)
	}
	for _, k := range parsers {
		tools = append(tools, k.Model.Name)
		var walk func(n *kong.Node)
		walk = func(n *kong.Node) {
			for _, f := range n.Flags {
				flags = append(flags, f.Name)
				flags = append(flags, f.Aliases...)
				switch neg := f.Tag.Negatable; neg {
				case "":
				case "_": // kong's mark for the default negation
					flags = append(flags, "no-"+f.Name)
				default:
					flags = append(flags, strings.TrimPrefix(neg, "--"))
				}
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		walk(k.Model.Node)
	}
	slices.Sort(flags)
	// Longest first, so that the alternation reports --no-audit-log, not --no.
	slices.SortStableFunc(flags, func(a, b string) int { return len(b) - len(a) })
	return tools, slices.Compact(flags)
}

type literal struct {
	value string
	line  int
}

// stringLiterals is every string literal of a Go file but struct tags
// (`toml:"tokencheck"` names a config section, not a command line).
func stringLiterals(t *testing.T, path string) []literal {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if ast.IsGenerated(f) {
		return nil // data written from another file (scan/rules_gen.go: rules.toml's regexes), not wording
	}
	tags := map[*ast.BasicLit]bool{}
	var out []literal
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				tags[n.Tag] = true
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING || tags[n] {
				return true
			}
			v, err := strconv.Unquote(n.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(n.Pos()), err)
			}
			out = append(out, literal{v, fset.Position(n.Pos()).Line})
		}
		return true
	})
	return out
}
