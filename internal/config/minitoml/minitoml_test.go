package minitoml

import (
	"errors"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// cases are documents of both kinds: what the reader reads, and what it must
// hand to the full library (valid TOML beyond its subset, and invalid TOML).
var cases = []string{
	"",
	"# only a comment\n",
	"[default]\ntoken_id = \"ak-abc\"\ntoken_secret = \"as-def\"\nactive = true\n",
	"[a]\nx = 'lit\"eral'\n[b]\nx = \"basic 'q'\" # comment\n",
	"[tokenage]\nmax_age = \"90d\"\nignore = [\"openai\", 'GITHUB_TOKEN',]\n\n[tokenage.providers.github]\nmax_age = \"30d\"\n",
	"[tokenage]\nignore = []\n[tokenage.providers]\n",
	"[ a . b ]\nx = false\n[a]\ny = true\n",
	"top = \"x\"\r\n[t]\r\nk = \"v\"\r\n",
	"[a]\r\nx = \"v\"\r",
	"\ttabbed\t=\t\"v\"\t#\tc\n",
	"k = \"ünïcode ✓\"\n",
	// Beyond the subset, or not TOML.
	"[a]\n[a]\n",
	"[a]\nx = \"1\"\nx = \"2\"\n",
	"[a]\nx = \"1\"\n[a.x]\n",
	"[a.b]\n[a]\nb = \"x\"\n",
	"[[a]]\nx = \"1\"\n",
	"a.b = \"dotted\"\n",
	"\"quoted\" = \"key\"\n",
	"k = \"esc\\\"aped\"\n",
	"k = \"\"\"multi\nline\"\"\"\n",
	"k = '''lit'''\n",
	"k = 1\n",
	"k = {a = \"b\"}\n",
	"k = [\"a\",\n\"b\"]\n",
	"k = truex\n",
	"k = \"v\" junk\n",
	"k = \"unclosed\n",
	"[a\n",
	"[a]]\n",
	"k = \"ctl\x01\"\n",
	"# del \x7f\n",
	"k = \"v\"\r\r\n",
	"\uFEFFk = \"bom\"\n",
	"k = \"\xff\"\n",
	"k =\n",
	"= \"v\"\n",
	"[]\n",
	"[a.]\n",
	"k = [\"a\" \"b\"]\n",
	"k = [true]\n",
}

// Parse agrees with BurntSushi/toml on every case it accepts and accepts
// nothing that library rejects.
func TestParseAgreesWithBurntSushi(t *testing.T) {
	accepted := 0
	for _, doc := range cases {
		if agree(t, doc) {
			accepted++
		}
	}
	if accepted < 10 || accepted == len(cases) {
		t.Errorf("accepted %d of %d cases: the table should hold both kinds", accepted, len(cases))
	}
}

func FuzzParse(f *testing.F) {
	for _, doc := range cases {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) { agree(t, doc) })
}

// agree checks one document and reports whether Parse accepted it.
func agree(t *testing.T, doc string) bool {
	t.Helper()
	got, err := Parse([]byte(doc))
	var want map[string]any
	_, refErr := toml.Decode(doc, &want)
	switch {
	case err != nil && !errors.Is(err, ErrUnsupported):
		t.Errorf("%q: error %v is not ErrUnsupported", doc, err)
	case err != nil:
		return false
	case refErr != nil:
		t.Errorf("%q: accepted as %v, but BurntSushi/toml rejects it: %v", doc, got, refErr)
	case !reflect.DeepEqual(got, want):
		t.Errorf("%q: read as %#v, BurntSushi/toml reads %#v", doc, got, want)
	}
	return err == nil
}
