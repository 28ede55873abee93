package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tokenguard/tokenguard/internal/redact"
)

const (
	hfTok  = "hf_bPlNFGdSC2wd8f2QnFhk5A84JJjKWZdKH9"
	ghpTok = "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"
)

func scanString(t testing.TB, e *Engine, path, content string) []Finding {
	t.Helper()
	return e.Scan(Fragment{Path: path, Content: []byte(content)})
}

func TestFindingFields(t *testing.T) {
	e := newEngine(t, Config{})
	fs := scanString(t, e, "train.py", "import os\n\n    token = \""+hfTok+"\"\n")
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(fs), ruleIDs(fs))
	}
	f := fs[0]
	if f.RuleID != "huggingface-token" || f.Provider != "huggingface" || f.File != "train.py" {
		t.Errorf("rule/provider/file = %s/%s/%s", f.RuleID, f.Provider, f.File)
	}
	if f.Line != 3 || f.Column != 14 {
		t.Errorf("position = %d:%d, want 3:14", f.Line, f.Column)
	}
	if f.Masked != "hf_…dKH9" || f.Fingerprint != "" && len(f.Fingerprint) != 16 {
		t.Errorf("masked %q fingerprint %q", f.Masked, f.Fingerprint)
	}
	if f.Secret != hfTok {
		t.Errorf("secret not kept for fingerprinting")
	}
}

func TestStartLineOffsetsHunks(t *testing.T) {
	e := newEngine(t, Config{})
	fs := e.Scan(Fragment{Path: "a.env", Content: []byte("x=1\nHF_TOKEN=" + hfTok + "\n"), StartLine: 40, Commit: "abc"})
	if len(fs) != 1 || fs[0].Line != 41 || fs[0].Commit != "abc" {
		t.Fatalf("got %+v", fs)
	}
}

func TestSpecificRuleWinsOverGeneric(t *testing.T) {
	e := newEngine(t, Config{})
	fs := scanString(t, e, "x.py", `api_token = "`+hfTok+`"`)
	if len(fs) != 1 || fs[0].RuleID != "huggingface-token" {
		t.Fatalf("got %v, want only huggingface-token", ruleIDs(fs))
	}
}

func TestWrongGitHubChecksumIsNotAFinding(t *testing.T) {
	e := newEngine(t, Config{})
	if fs := scanString(t, e, "x", "GH_TOKEN=ghp_Mm8biABkerSuHpnMmMDF2EsjYyTQWC2lTFev"); len(fs) != 0 {
		t.Fatalf("wrong checksum reported: %v", ruleIDs(fs))
	}
}

// notebook builds a small .ipynb with the token in a code cell (escaped
// quotes) and in a printed output, plus a base64 image output.
func notebook(tok string) string {
	img := strings.Repeat("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk", 40)
	return `{
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "import os\n",
    "os.environ[\"HF_TOKEN\"] = \"` + tok + `\"\n",
    "login()"
   ],
   "outputs": [
    {
     "data": {"image/png": "` + img + `\n"},
     "output_type": "display_data"
    },
    {
     "name": "stdout",
     "text": ["token is ` + tok + `\n"]
    }
   ]
  }
 ]
}
`
}

func TestNotebookTokensFoundWithNotebookLines(t *testing.T) {
	e := newEngine(t, Config{})
	fs := scanString(t, e, "analysis.ipynb", notebook(hfTok))
	if len(fs) != 2 {
		t.Fatalf("got %d findings %v, want 2", len(fs), ruleIDs(fs))
	}
	lines := strings.Split(notebook(hfTok), "\n")
	if fs[0].Line != 7 || fs[1].Line != 17 {
		t.Errorf("lines = %d, %d; want 7 and 17", fs[0].Line, fs[1].Line)
	}
	if want := strings.Index(lines[6], "hf_") + 1; fs[0].Column != want {
		t.Errorf("column = %d, want %d", fs[0].Column, want)
	}
}

func TestNotebookEscapedNewlineBeforeToken(t *testing.T) {
	// "\nhf_…" in raw JSON puts a letter before the token; decoding fixes it.
	e := newEngine(t, Config{})
	nb := `{"cells":[{"source":"x = 1\n` + `WANDB_API_KEY=0e1418cb48c92b91858ebf2f9486c80f37b7ec97\nprint(x)"}]}`
	fs := scanString(t, e, "n.ipynb", nb)
	if len(fs) != 1 || fs[0].RuleID != "wandb-api-key-legacy" || fs[0].Line != 1 {
		t.Fatalf("got %+v", fs)
	}
}

func TestNotebookBase64ImageSkipped(t *testing.T) {
	e := newEngine(t, Config{})
	// A token-shaped run inside a long base64 image payload is not a finding.
	img := strings.Repeat("QUJD", 300) + "AKIA56GNJCOENDJFDRNI" + strings.Repeat("QUJD", 300)
	nb := `{"outputs":[{"data":{"image/png":"` + img + `"}}]}`
	if fs := scanString(t, e, "n.ipynb", nb); len(fs) != 0 {
		t.Fatalf("image payload reported: %v", ruleIDs(fs))
	}
	v := decodeJSON([]byte(nb))
	if bytes.Contains(v.text, []byte("QUJD")) {
		t.Errorf("blob kept in the decoded view")
	}
}

func TestClassTablesAreExact(t *testing.T) {
	ct := newClassTables(&base64Bytes)
	for c := range 256 {
		if got := ct.lo[c&15]&ct.hi[c>>4] != 0; got != base64Bytes[c] {
			t.Errorf("byte %#x: member %v, want %v", c, got, base64Bytes[c])
		}
	}
}

func TestBase64BlobEveryIntruderAnywhere(t *testing.T) {
	filler := []byte(strings.Repeat("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB+/=\\", 4))[:100]
	if !isBase64Blob(filler) {
		t.Fatal("filler is not base64")
	}
	for c := range 256 {
		for _, p := range []int{0, 1, 30, 31, 32, 33, 63, 64, 95, 96, 99} {
			s := slices.Clone(filler)
			s[p] = byte(c)
			if got := isBase64Blob(s); got != base64Bytes[c] {
				t.Fatalf("byte %#x at %d: blob %v, want %v (vector path: %v)", c, p, got, base64Bytes[c], haveAVX2)
			}
		}
	}
}

func TestJSONDecodingMapsOffsets(t *testing.T) {
	in := []byte(`{"a":"x\"y\u0041\n","b":1}`)
	v := decodeJSON(in)
	if got := string(v.text); got != "{\"a\":\"x\"yA\n\",\"b\":1}" {
		t.Fatalf("decoded %q", got)
	}
	// { " a " : " x \" y \u0041 \n " , " b " : 1 }
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 16, 18, 19, 20, 21, 22, 23, 24, 25}
	for i, o := range want {
		if got := v.offset(i); got != o {
			t.Errorf("offset(%d) = %d, want %d", i, got, o)
		}
	}
	if got := v.offset(len(v.text)); got != len(in) {
		t.Errorf("offset past the end = %d, want %d", got, len(in))
	}
}

func TestInlineAllow(t *testing.T) {
	e := newEngine(t, Config{})
	for name, src := range map[string]string{
		"same line":  "HF_TOKEN=" + hfTok + " # tokenguard:allow\n",
		"line above": "# tokenguard:allow (test fixture)\nHF_TOKEN=" + hfTok + "\n",
		"gitleaks":   "HF_TOKEN=" + hfTok + " # gitleaks:allow\n",
	} {
		if fs := scanString(t, e, "x.env", src); len(fs) != 0 {
			t.Errorf("%s: still reported", name)
		}
	}
	if fs := scanString(t, e, "x.env", "# tokenguard:allow\n\nHF_TOKEN="+hfTok+"\n"); len(fs) != 1 {
		t.Errorf("an allow two lines up must not apply")
	}
}

func TestAllowlists(t *testing.T) {
	src := "HF_TOKEN=" + hfTok + "\nGH_TOKEN=" + ghpTok + "\n"
	cases := []struct {
		name string
		spec AllowlistSpec
		path string
		want []string
	}{
		{"path glob", AllowlistSpec{Paths: []string{"tests/**"}}, "tests/fixtures/a.env", nil},
		{"path base name", AllowlistSpec{Paths: []string{"*.env"}}, "deep/dir/a.env", nil},
		{"path no match", AllowlistSpec{Paths: []string{"tests/**"}}, "src/a.env", []string{"huggingface-token", "github-token"}},
		{"directory", AllowlistSpec{Paths: []string{"fixtures"}}, "a/fixtures/x.env", nil},
		{"secret regex", AllowlistSpec{Regexes: []string{`^hf_bPl`}}, "a.env", []string{"github-token"}},
		{"line regex", AllowlistSpec{Lines: []string{`^GH_TOKEN=`}}, "a.env", []string{"huggingface-token"}},
		{"stopword", AllowlistSpec{Stopwords: []string{"KWZDKH9"}}, "a.env", []string{"github-token"}},
		{"per rule", AllowlistSpec{Rules: []string{"github-token"}, Paths: []string{"*.env"}}, "a.env", []string{"huggingface-token"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEngine(t, Config{Allowlists: []AllowlistSpec{c.spec}})
			got := ruleIDs(scanString(t, e, c.path, src))
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"bad regex":           {Rules: []RuleSpec{{ID: "x", Regex: "(", Keywords: []string{"ab"}}}},
		"no keywords":         {Rules: []RuleSpec{{ID: "x", Regex: "a"}}},
		"unknown check":       {Rules: []RuleSpec{{ID: "x", Regex: "a", Keywords: []string{"ab"}, Checks: []string{"nope"}}}},
		"disable unknown":     {Disable: []string{"nope"}},
		"allowlist regex":     {Allowlists: []AllowlistSpec{{Regexes: []string{"("}}}},
		"allowlist rule":      {Allowlists: []AllowlistSpec{{Rules: []string{"nope"}}}},
		"unknown validate":    {Rules: []RuleSpec{{ID: "x", Regex: "a", Keywords: []string{"ab"}, Validator: "nope"}}},
		"example unmatched":   {Rules: []RuleSpec{{ID: "x", Regex: `\bacme_[a-z]{8}\b`, Keywords: []string{"acme_"}, Match: []string{"acme_ABCDEFGH"}}}},
		"no_match matched":    {Rules: []RuleSpec{{ID: "x", Regex: `\bacme_[a-z]{8}\b`, Keywords: []string{"acme_"}, NoMatch: []string{"k=acme_qwrtzpsd"}}}},
		"gate without anchor": {Rules: []RuleSpec{{ID: "x", Regex: "ab", Keywords: []string{"ab"}, Gate: "assignment"}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCustomRuleAndDisable(t *testing.T) {
	e := newEngine(t, Config{
		Rules: []RuleSpec{{
			ID: "acme-key", Provider: "acme", Regex: `\b(?P<secret>acme_[a-z0-9]{20})\b`,
			Keywords: []string{"acme_"},
		}},
		Disable: []string{"huggingface-token", "generic-secret"},
	})
	got := ruleIDs(scanString(t, e, "a", "k=acme_k3j9d8s7f6g5h4j3k2l1\nHF_TOKEN="+hfTok))
	if fmt.Sprint(got) != "[acme-key]" {
		t.Fatalf("got %v", got)
	}
}

func TestBinaryDetection(t *testing.T) {
	if !IsBinary([]byte("abc\x00def")) || IsBinary([]byte("plain text")) {
		t.Fatal("IsBinary wrong")
	}
}

func TestPathologicalInputStaysFast(t *testing.T) {
	e := newEngine(t, Config{})
	inputs := map[string][]byte{
		"dense keywords one line": bytes.Repeat([]byte("hf_ghp_sk-ant-token=password:"), 10000),
		"private key headers":     bytes.Repeat([]byte("-----BEGIN RSA PRIVATE KEY-----"), 10000),
		"invalid utf8 and nul":    bytes.Repeat([]byte("\xff\xfe\x00token=\xc3("), 100000),
		"long base64 line":        bytes.Repeat([]byte("QUJDRA=="), 150000),
		"unterminated json":       append([]byte(`{"a":"`), bytes.Repeat([]byte(`\"token=`), 100000)...),
		"one string of escapes":   append(append([]byte(`{"a":"`), bytes.Repeat([]byte(`\n`), 500000)...), `"}`...),
	}
	for name, in := range inputs {
		for _, path := range []string{"x.txt", "x.ipynb"} {
			start := time.Now()
			e.Scan(Fragment{Path: path, Content: in})
			t.Logf("%s (%s): %v", name, path, time.Since(start))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s (%s): %v for %d bytes", name, path, d, len(in))
			}
		}
	}
}

func TestLongLineMatchesAtAnyOffset(t *testing.T) {
	e := newEngine(t, Config{})
	pad := strings.Repeat("a=1;", 5000)
	src := pad + "var t=\"" + ghpTok + "\";" + pad
	fs := scanString(t, e, "bundle.min.js", src)
	if len(fs) != 1 || fs[0].Column != len(pad)+8 {
		t.Fatalf("got %+v", fs)
	}
}

func TestBaselineRoundTripIgnoresLineNumbers(t *testing.T) {
	e := newEngine(t, Config{})
	fs := scanString(t, e, "cfg/a.env", "HF_TOKEN="+hfTok+"\n")
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := NewBaseline(fs).Write(path); err != nil {
		t.Fatal(err)
	}
	bl, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	moved := scanString(t, e, "./cfg/a.env", "# new header\n\n\nHF_TOKEN="+hfTok+"\n")
	if len(moved) != 1 || moved[0].Line != 4 {
		t.Fatalf("setup: %+v", moved)
	}
	if got := bl.Filter(moved); len(got) != 0 {
		t.Errorf("baselined finding on a moved line reported again")
	}
	other := scanString(t, e, "cfg/b.env", "HF_TOKEN="+hfTok+"\n")
	if got := bl.Filter(other); len(got) != 1 {
		t.Errorf("same secret in another file must be new")
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(hfTok)) || bytes.Contains(data, []byte(`"line"`)) {
		t.Errorf("baseline holds the secret or a line number:\n%s", data)
	}
	if err := os.WriteFile(path, []byte(`{"version":9}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBaseline(path); err == nil {
		t.Errorf("wrong version accepted")
	}
}

func TestScanAllOrdersAndStops(t *testing.T) {
	e := newEngine(t, Config{})
	fs, err := e.ScanAll(context.Background(), 2, func(yield func(Fragment) error) error {
		for _, p := range []string{"b.env", "a.env", "c.env"} {
			if err := yield(Fragment{Path: p, Content: []byte("HF_TOKEN=" + hfTok)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(fs) != 3 || fs[0].File != "a.env" || fs[2].File != "c.env" {
		t.Fatalf("got %v %v", fs, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = e.ScanAll(ctx, 1, func(yield func(Fragment) error) error {
		for {
			if err := yield(Fragment{Path: "x", Content: []byte("x")}); err != nil {
				return err
			}
		}
	})
	if err == nil {
		t.Fatal("cancelled scan returned no error")
	}
}

// ScanEach scans in the producers' goroutines, from many at once: the
// findings are ScanAll's for the same fragments, every Done runs once,
// and a cancelled context stops the producers.
func TestScanEachMatchesScanAll(t *testing.T) {
	e := newEngine(t, Config{})
	var frags []Fragment
	for i := range 200 {
		content := "x = 1\n"
		if i%3 == 0 {
			content = "x = 1\nHF_TOKEN=" + hfTok + "\n"
		}
		frags = append(frags, Fragment{Path: fmt.Sprintf("f%03d.env", i), Content: []byte(content), StartLine: i + 1})
	}
	want, err := e.ScanAll(context.Background(), 2, func(yield func(Fragment) error) error {
		for _, f := range frags {
			if err := yield(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(want) != 67 {
		t.Fatalf("ScanAll: %d findings, %v", len(want), err)
	}
	var done atomic.Int64
	got, err := e.ScanEach(context.Background(), func(yield func(Fragment) error) error {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for w := range 4 { // four producers, each yielding every fourth fragment
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(frags); i += 4 {
					f := frags[i]
					f.Done = func() { done.Add(1) }
					if errs[w] = yield(f); errs[w] != nil {
						return
					}
				}
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ScanEach found %d, ordered or made differently from ScanAll's %d", len(got), len(want))
	}
	if done.Load() != int64(len(frags)) {
		t.Fatalf("Done ran %d times for %d fragments", done.Load(), len(frags))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = e.ScanEach(ctx, func(yield func(Fragment) error) error {
		for {
			if err := yield(Fragment{Path: "x", Content: []byte("x")}); err != nil {
				return err
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan returned %v", err)
	}
}

func FuzzEngine(f *testing.F) {
	e := newEngine(f, Config{})
	f.Add("x.txt", []byte("HF_TOKEN="+hfTok))
	f.Add("n.ipynb", []byte(notebook(hfTok)))
	f.Add("k.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"))
	f.Add("", []byte(`{"a":"\u00zz\"token=\\`))
	f.Add("x", []byte("password = \"F6UHgNJ460G0dQ0ot5mA\" # tokenguard:allow\n\xff\x00"))
	f.Fuzz(func(t *testing.T, path string, content []byte) {
		fs := e.Scan(Fragment{Path: path, Content: content})
		for _, fd := range fs {
			if fd.Line < 1 || fd.Column < 1 || fd.Secret == "" || fd.Fingerprint != redact.Fingerprint(fd.Secret) {
				t.Fatalf("bad finding %+v", fd)
			}
			// The span the finding names holds the secret: its offset is
			// at the line and column reported (counted here from the start,
			// not incrementally), and outside JSON the text there is the
			// secret itself.
			if fd.start < 0 || fd.start > len(content) {
				t.Fatalf("finding at offset %d of %d bytes", fd.start, len(content))
			}
			before := content[:fd.start]
			lineStart := bytes.LastIndexByte(before, '\n') + 1
			if line, col := bytes.Count(before, []byte("\n"))+1, utf8.RuneCount(before[lineStart:])+1; fd.Line != line || fd.Column != col {
				t.Fatalf("finding at %d:%d, but its offset %d is %d:%d", fd.Line, fd.Column, fd.start, line, col)
			}
			if !isJSON(path, content) && !bytes.HasPrefix(content[fd.start:], []byte(fd.Secret)) {
				t.Fatalf("the text at %d:%d is not the secret", fd.Line, fd.Column)
			}
			// The masked form never gives the secret back.
			if fd.Masked == "" || strings.Contains(fd.Masked, fd.Secret) {
				t.Fatalf("masked %q shows the secret of %d bytes", fd.Masked, len(fd.Secret))
			}
		}
	})
}

// FuzzDecodeJSON holds the decoded view to its map: every byte not made
// by an escape is the byte it maps to, and the map only moves forward.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"a":"x\"y\u0041\n","b":1}`))
	f.Add([]byte(`{"a":"\u00zz\"token=\`))
	f.Add([]byte("[\"ab\ncd\"]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v := decodeJSON(b)
		if len(v.text) > 2*len(b) {
			t.Fatalf("%d bytes decode to %d bytes", len(b), len(v.text))
		}
		last := 0
		for i := range v.text {
			o := v.offset(i)
			if o >= len(b) || o < last {
				t.Fatalf("offset(%d) = %d: out of bounds or backwards", i, o)
			}
			last = o
			if b[o] != '\\' && (o == 0 || b[o-1] != '\\') && v.text[i] != b[o] {
				t.Fatalf("text[%d] = %q, but content[%d] = %q", i, v.text[i], o, b[o])
			}
		}
	})
}

// FuzzAssignmentGate checks that the generic rule's gate never turns away
// text the rule could report (a match of its regex with a key that is not
// dismissed): the gate is a speed-up, not a filter. It also checks that the
// gate does turn away the dismissed keys, as it claims.
func FuzzAssignmentGate(f *testing.F) {
	e := newEngine(f, Config{})
	var generic *Rule
	for _, r := range e.Rules() {
		if r.ID == "generic-secret" {
			generic = r
		}
	}
	if generic == nil || generic.gate == nil {
		f.Fatal("generic-secret has no gate")
	}
	rf, err := loadRuleFile()
	if err != nil {
		f.Fatal(err)
	}
	i := slices.IndexFunc(rf.Rules, func(s RuleSpec) bool { return s.ID == generic.ID })
	for _, ex := range append(rf.Rules[i].Match, rf.Rules[i].NoMatch...) {
		if i := strings.Index(strings.ToLower(ex), "token"); i >= 0 {
			f.Add([]byte(ex[i+5:]))
		}
	}
	f.Add([]byte(`: str = "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy"`))
	f.Add([]byte(`==O1QUMRt40hCHJLYdq1fkZxK`))
	f.Add([]byte(":\n  str = O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy\n"))
	f.Add([]byte("ſ\u212a = O1QUMRt40hCHJLYdq1fkZxK\u212aſ\n"))
	f.Add([]byte("_x'] :\n=>\t`O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy`"))
	f.Add([]byte(`_name = "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy"`))
	// The shapes of issue 14: call pairs, XML, Go types, Makefile and PHP
	// operators, a value before an escaped line break.
	f.Add([]byte(`", "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy")`))
	f.Add([]byte(`>O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy</token>`))
	f.Add([]byte(` string = "O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy"`))
	f.Add([]byte(` ::= O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy`))
	f.Add([]byte(` ?= O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy`))
	f.Add([]byte(` .= 'O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy';`))
	f.Add([]byte(`=O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy\n")`))
	f.Fuzz(func(t *testing.T, rest []byte) {
		// Names before the keyword count too: the check reads them back.
		for _, before := range []string{"", "shared_", "admin", "x.", "ACCOUNT_", "my-"} {
			text := append([]byte(before+"token"), rest...)
			at := len(before)
			rx := generic.regex()
			m := rx.anchored.FindSubmatchIndex(text[at:])
			if m == nil {
				continue
			}
			key := string(text[keyStart(text, at) : at+m[2*rx.keyGroup+1]])
			if secretKeyName(e, "", key) && !generic.gate(text, at) {
				t.Fatalf("gate rejects a match of the regex with key %q: %q", key, text)
			}
			if !secretKeyName(e, "", key) && generic.gate(text, at) {
				t.Fatalf("gate lets through the benign key %q: %q", key, text)
			}
		}
	})
}

// adversarialUnits repeat into inputs dense with keyword hits, half-open
// matches and JSON escapes: the shapes that would make scanning superlinear.
var adversarialUnits = map[string]string{
	"keywords, one line":   "hf_ghp_token=password:secret_access_key=AKIA sk-ant- T3BlbkFJ ",
	"assignments":          "token = \"O1QUMRt40hCHJLYdq1fkZxK-Owvwqshy\" ",
	"pem headers":          "-----BEGIN RSA PRIVATE KEY-----",
	"json escapes":         `{"a":"\"token=\\u0041\n`,
	"url without end":      "postgresql://user:",
	"generic long value":   "password=" + strings.Repeat("aB3", 50),
	"wandb netrc no value": "machine api.wandb.ai\n",
}

// repeatUnit repeats unit to at least k times 10,000 bytes.
func repeatUnit(unit string, k int) []byte {
	return []byte(strings.Repeat(unit, k*(10000/len(unit)+1)))
}

// TestScanWorkIsLinear scans adversarial inputs of n and 8n bytes and
// compares two counts that do not depend on the machine's load: the bytes
// the engine hands to the rules' regexes, and the bytes it allocates (with
// the collector off, so pools keep what they hold). Linear work grows 8
// times, quadratic 64 times. The bound is 10 for the regexes and 16 for
// allocations, where a slice grown by doubling may end anywhere between
// its length and twice that. BenchmarkScanAdversarial times the inputs.
//
// The regexp package keeps its machines in sync.Pools, whose per-P slots
// another P cannot take from: a goroutine moved between Ps after the warm-up
// misses them and allocates once. One P, and the least of three scans, keep
// that one-time cost out of a count meant to show growth.
func TestScanWorkIsLinear(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	e := newEngine(t, Config{})
	measure := func(path string, in []byte) (regex, alloc uint64) {
		e.Scan(Fragment{Path: path, Content: in}) // warm the regex machines' pools
		alloc = math.MaxUint64
		for range 3 {
			var before, after runtime.MemStats
			r0 := e.regexBytes.Load()
			runtime.ReadMemStats(&before)
			e.Scan(Fragment{Path: path, Content: in})
			runtime.ReadMemStats(&after)
			regex = uint64(e.regexBytes.Load() - r0)
			alloc = min(alloc, after.TotalAlloc-before.TotalAlloc)
		}
		return regex, alloc
	}
	for name, unit := range adversarialUnits {
		for _, path := range []string{"x.txt", "x.ipynb"} {
			small, large := repeatUnit(unit, 1), repeatUnit(unit, 8)
			rs, as := measure(path, small)
			rl, al := measure(path, large)
			t.Logf("%s (%s): regexes read %d then %d bytes, %d then %d bytes allocated", name, path, rs, rl, as, al)
			if rl > 10*rs {
				t.Errorf("%s (%s): 8 times the input made the regexes read %d bytes, %d before", name, path, rl, rs)
			}
			if al > 16*as+64<<10 {
				t.Errorf("%s (%s): 8 times the input allocated %d bytes, %d before", name, path, al, as)
			}
		}
	}
}

// TestScanWorkCountsRegexBytes keeps the measure above honest: a scan with
// keyword hits hands bytes to the regexes, one without hands none.
func TestScanWorkCountsRegexBytes(t *testing.T) {
	e := newEngine(t, Config{})
	e.Scan(Fragment{Path: "a.txt", Content: []byte("nothing to see here\n")})
	if n := e.regexBytes.Load(); n != 0 {
		t.Errorf("a text without keywords handed %d bytes to regexes", n)
	}
	e.Scan(Fragment{Path: "a.txt", Content: repeatUnit(adversarialUnits["assignments"], 1)})
	if n := e.regexBytes.Load(); n < 10000 {
		t.Errorf("10,000 bytes of assignments handed only %d bytes to regexes", n)
	}
}

// BenchmarkScanAdversarial times the inputs of TestScanWorkIsLinear at n and
// 8n bytes: the MB/s of the two sizes should match.
func BenchmarkScanAdversarial(b *testing.B) {
	e := newEngine(b, Config{})
	for name, unit := range adversarialUnits {
		for _, k := range []int{1, 8} {
			in := repeatUnit(unit, k)
			b.Run(fmt.Sprintf("%s/%dx", strings.ReplaceAll(name, " ", "_"), k), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					e.Scan(Fragment{Path: "x.txt", Content: in})
				}
			})
		}
	}
}

func TestBenignKey(t *testing.T) {
	for name, want := range map[string]bool{
		"token_hash": true, "SECRET_NAME": true, "api_key_id": true, "token.id": true,
		"tokenId": true, "max_tokens": true, "maxTokens": true, "Sha256": true,
		"secret_sha256": true, "token_count": true, "TokenCount": true, "tokenizer_path": true,
		"hub_token_path": true, "secretKeyHash": true, "token_expires_at": true,
		"api_key_header": true, "tokenUrls": true, "password_min_length": true,
		"token_filename": true, "api_key2id": true, "tokens": true, "secret.dirs": true,

		"HF_TOKEN": false, "db_password": false, "tokenid": false, "admin_password": false,
		"shared_secret": false, "SHARED_SECRET": false, "sharedSecret": false,
		"account_key": false, "ACCOUNT_PASSWORD": false, "security_token": false,
		"router_password": false, "redirect_token": false, "minimum_password": false,
		"api_key": false, "client_secret": false, "idp_token": false, "identity_token": false,
		"secret_idx": false, "shaped_token": false, "numeric_secret": false,
	} {
		if got := benignKey([]byte(name)); got != want {
			t.Errorf("benignKey(%q) = %v, want %v", name, got, want)
		}
	}
}
