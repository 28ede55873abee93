package scan

import (
	"strings"
	"testing"
)

// Path globs as the allowlist documents them, this repository's own
// .tokenguard.toml among them.
func TestAllowlistPathGlobs(t *testing.T) {
	cases := []struct {
		glob, path string
		want       bool
	}{
		{"**/*_test.go", "internal/scan/engine_test.go", true},
		{"**/*_test.go", "engine_test.go", true},
		{"**/*_test.go", "internal/scan/engine.go", false},
		{"**/testdata/**", "internal/gitrepo/testdata/pack/a.idx", true},
		{"**/testdata/**", "testdata/a", true},
		{"**/testdata/**", "internal/testdatas/a", false},
		{"testscript/**", "testscript/hooks.txtar", true},
		{"testscript/**", "x/testscript/hooks.txtar", false},
		{"internal/scan/rules.toml", "internal/scan/rules.toml", true},
		{"internal/scan/rules.toml", "./internal/scan/rules.toml", true},
		{"internal/scan/rules.toml", "internal/scan/rules.tomlx", false},
		{"fixtures", "a/fixtures/x.env", true}, // a directory's contents
		{"*.env", "deep/dir/a.env", true},      // no slash: the base name
		{"docs/", "docs/a/b.md", true},         // a trailing slash: below it
		{"a?c/*.py", "abc/x.py", true},         // ? is one character
		{"a?c/*.py", "abc/d/x.py", false},      // * stays within an element
		{"a?c/*.py", "a/c/x.py", false},        // ? stays within an element
		{"src/**.py", "src/a/b/c.py", true},    // ** inside an element crosses too
		{"[ab].txt", "[ab].txt", true},         // brackets are literal
		{"[ab].txt", "a.txt", false},
	}
	for _, c := range cases {
		a, err := compileAllowlist(AllowlistSpec{Paths: []string{c.glob}})
		if err != nil {
			t.Fatal(err)
		}
		if got := a.matchPath(c.path); got != c.want {
			t.Errorf("glob %q, path %q: matched %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}

// The literal each glob must hold only skips globs that cannot match:
// matchPath with it answers as the regexps alone do.
func FuzzAllowlistPathLiteral(f *testing.F) {
	f.Add("**/testdata/**", "internal/gitrepo/testdata/pack/a.idx")
	f.Add("**/*_test.go", "a/b_test.go")
	f.Add("docs/", "docs/a.md")
	f.Add("src/**.py", "src/a/b.py")
	f.Add("a?c/*.py", "./abc//x.py")
	f.Add("fixtures", "a/fixtures/x")
	f.Add("é*/x", "é/y/x")
	f.Fuzz(func(t *testing.T, glob, p string) {
		a, err := compileAllowlist(AllowlistSpec{Paths: []string{glob}})
		if err != nil {
			return
		}
		if lit := a.pathLits[0]; !strings.Contains(strings.TrimPrefix(glob, "./"), lit) {
			t.Fatalf("glob %q: literal %q is not in it", glob, lit)
		}
		plain := *a
		plain.pathLits = []string{""}
		if got, want := a.matchPath(p), plain.matchPath(p); got != want {
			t.Fatalf("glob %q, path %q: %v with the literal %q, %v without", glob, p, got, a.pathLits[0], want)
		}
	})
}
