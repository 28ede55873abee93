package tokenage

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pkg is what the tests read of `go list -deps -json`.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Standard   bool
}

// tokenageDeps lists every package cmd/tokenage links, as install.sh
// builds it (CGO_ENABLED=0).
func tokenageDeps(t *testing.T) []pkg {
	t.Helper()
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Dir,GoFiles,Standard", "github.com/tokenguard/tokenguard/cmd/tokenage")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list -json: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list listed %d packages; expected the whole graph", len(pkgs))
	}
	return pkgs
}

// The shell fast path must not link the network stack, nor the detection
// engine: linking internal/token (gRPC, net/http) adds about 1.7 ms to every
// start, internal/scan its rule tables and their init (BENCHMARKS.md). Nor
// kong and what comes with it (clikit, logrus, completion, text/template,
// go/doc): their package init alone cost ~20 page faults a start; that
// command line is tokenage-cli's (issue 18). Nor the TOML library (its init
// reads /etc/localtime; math/big, math/rand) nor net/url and net/netip:
// tokenage reads those files with small readers (minitoml, credential/lite)
// and hands what they decline to tokenage-cli. Nor crypto/sha256 and the
// FIPS module behind it: fingerprints use redact's own SHA-256. Nor regexp
// and regexp/syntax: linked, even never called, they keep unicode's big
// tables alive, ~25 page faults a start (redact.String scans by hand), nor
// math/big (bytesize.Parse counts in integers).
func TestFastPathLinksNoNetworkCodeNorScanEngine(t *testing.T) {
	for _, p := range tokenageDeps(t) {
		switch pkg := p.ImportPath; {
		case strings.HasPrefix(pkg, "google.golang.org/grpc"), pkg == "net/http", pkg == "net",
			pkg == "github.com/tokenguard/tokenguard/internal/token",
			pkg == "github.com/tokenguard/tokenguard/internal/scan",
			pkg == "github.com/alecthomas/kong", strings.HasPrefix(pkg, "github.com/willabides/kongplete"),
			strings.HasPrefix(pkg, "github.com/posener/complete"), pkg == "github.com/sirupsen/logrus",
			pkg == "github.com/tokenguard/tokenguard/internal/cli/clikit",
			pkg == "github.com/tokenguard/tokenguard/internal/authlog",
			pkg == "text/template", pkg == "go/doc", pkg == "flag", pkg == "os/signal",
			strings.HasPrefix(pkg, "github.com/BurntSushi/toml"), pkg == "net/url", pkg == "net/netip",
			pkg == "github.com/tokenguard/tokenguard/internal/config",
			pkg == "github.com/tokenguard/tokenguard/internal/credential",
			strings.HasPrefix(pkg, "crypto/"),
			pkg == "regexp", pkg == "regexp/syntax", pkg == "math/big":
			t.Errorf("cmd/tokenage links %s", pkg)
		}
	}
}

// initRegexpAllowed are packages in tokenage's graph that compile a regexp
// at init and that we cannot change. Each costs every shell start; the test
// fails when an entry is no longer needed, so the list only shrinks.
var initRegexpAllowed = map[string]bool{}

// No package that tokenage links compiles a regular expression while the
// program starts: compiling touches most of package regexp, which costs
// page faults and about a millisecond in every new shell (issue 18). Compile
// on first use instead (sync.OnceValue).
//
// The check reads the source of every package in the graph (standard
// library, third-party and ours, the files of this build as go list names
// them) and looks for regexp.Compile/MustCompile(POSIX) calls that run at
// init: in package-level var initialisers and init functions, but not
// inside function literals, which run later. Reading the source names the
// variable and line; GODEBUG=inittrace=1 would only give allocation counts
// per package, which change with the Go version and with any unrelated map
// or table built at init.
func TestFastPathCompilesNoRegexpAtInit(t *testing.T) {
	pkgs := tokenageDeps(t)
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, name := range p.GoFiles {
			path := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, at := range initRegexps(f) {
				seen[p.ImportPath] = true
				if !initRegexpAllowed[p.ImportPath] {
					t.Errorf("%s: compiles a regexp at init (package %s, linked by cmd/tokenage); compile it on first use", fset.Position(at), p.ImportPath)
				}
			}
		}
	}
	for pkg := range initRegexpAllowed {
		if !seen[pkg] {
			t.Errorf("%s no longer compiles a regexp at init in tokenage's graph: remove it from initRegexpAllowed", pkg)
		}
	}
}

// initRegexps returns where f compiles a regexp at package initialisation.
func initRegexps(f *ast.File) []token.Pos {
	local := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "regexp" {
			local = "regexp"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" || local == "_" {
		return nil
	}
	var found []token.Pos
	look := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // runs when called, not at init
			case *ast.CallExpr:
				if isRegexpCompile(n.Fun, local) {
					found = append(found, n.Pos())
				}
			}
			return true
		})
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			for _, s := range d.Specs {
				for _, v := range s.(*ast.ValueSpec).Values {
					look(v)
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "init" && d.Body != nil {
				look(d.Body)
			}
		}
	}
	return found
}

// isRegexpCompile reports whether fun is regexp's Compile, MustCompile,
// CompilePOSIX or MustCompilePOSIX, with regexp imported as local.
func isRegexpCompile(fun ast.Expr, local string) bool {
	var name string
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok || x.Name != local {
			return false
		}
		name = f.Sel.Name
	case *ast.Ident:
		if local != "." {
			return false
		}
		name = f.Name
	default:
		return false
	}
	switch name {
	case "Compile", "MustCompile", "CompilePOSIX", "MustCompilePOSIX":
		return true
	}
	return false
}

// The detector against cases of each kind: what runs at init is found,
// what runs later is not.
func TestInitRegexps(t *testing.T) {
	for src, want := range map[string]int{
		"import \"regexp\"\nvar x = regexp.MustCompile(`a`)":                                                              1,
		"import \"regexp\"\nvar x, y = regexp.Compile(`a`)":                                                               1,
		"import re \"regexp\"\nvar x = []*re.Regexp{re.MustCompilePOSIX(`a`), re.MustCompile(`b`)}":                       2,
		"import . \"regexp\"\nvar x = MustCompile(`a`)":                                                                   1,
		"import \"regexp\"\nvar x *regexp.Regexp\nfunc init() { x = regexp.MustCompile(`a`) }":                            1,
		"import (\"regexp\"; \"sync\")\nvar x = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`a`) })": 0,
		"import \"regexp\"\nfunc f() *regexp.Regexp { return regexp.MustCompile(`a`) }":                                   0,
		"import \"regexp\"\nvar q = regexp.QuoteMeta(`a`)":                                                                0,
		"import other \"example.com/regexp\"\nvar x = other.MustCompile(`a`)":                                             0,
		"var regexp = thing{}\nvar x = regexp.MustCompile(`a`)":                                                           0,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package p\n"+src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := len(initRegexps(f)); got != want {
			t.Errorf("%s: found %d, want %d", src, got, want)
		}
	}
}
