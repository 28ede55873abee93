package tokenagecfg_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/config/tokenagecfg"
)

var cases = []string{
	"",
	"[tokenage]\nmax_age = \"90d\"\nwarn_before = '14d'\nremind_every = \"1d\"\nignore = [\"openai\", \"GITHUB_TOKEN\"]\n",
	"[tokenage]\nignore = []\n[tokenage.providers]\n",
	"[tokenage.providers.github]\nmax_age = \"30d\"\n[tokenage.providers.hf]\nwarn_before = \"2d\"\n[tokenage]\nmax_age = \"60d\"\n",
	"# comment only\n",
	// For config.Read: other tables, keys in another case, wrong types, unknown keys.
	"[scan]\nexclude = [\"x\"]\n",
	"[Tokenage]\nmax_age = \"90d\"\n",
	"[tokenage]\nMax_Age = \"90d\"\n",
	"[tokenage]\nmax_age = true\n",
	"[tokenage]\nignore = \"openai\"\n",
	"[tokenage]\nmax_agee = \"90d\"\n",
	"[tokenage.providers]\ngithub = \"30d\"\n",
	"[tokenage.providers.github]\nmax_age = \"30d\"\nextra = \"x\"\n",
	"[tokenage.providers.github.deeper]\n",
	"tokenage = \"x\"\n",
	"[tokenage]\nmax_age = 90\n",
	"[tokenage]\nmax_age = \"9\\u0030d\"\n",
}

// Decode reads a file as config.Read does, or declines it; it never accepts
// what config.Read refuses.
func TestDecodeAgreesWithConfig(t *testing.T) {
	accepted := 0
	for _, doc := range cases {
		if agree(t, doc) {
			accepted++
		}
	}
	if accepted < 4 || accepted == len(cases) {
		t.Errorf("accepted %d of %d cases: the table should hold both kinds", accepted, len(cases))
	}
}

func FuzzDecode(f *testing.F) {
	for _, doc := range cases {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) { agree(t, doc) })
}

func agree(t *testing.T, doc string) bool {
	t.Helper()
	got, err := tokenagecfg.Decode([]byte(doc), "tokenage")
	if err != nil {
		if !errors.Is(err, tokenagecfg.ErrUnsupported) {
			t.Errorf("%q: error %v is not ErrUnsupported", doc, err)
		}
		return false
	}
	path := filepath.Join(t.TempDir(), config.FileName)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	want, refErr := config.Read(path)
	switch {
	case refErr != nil:
		t.Errorf("%q: accepted as %+v, but config.Read refuses it: %v", doc, got, refErr)
	case !reflect.DeepEqual(got, want.Tokenage) || !reflect.DeepEqual(want, config.File{Tokenage: want.Tokenage}):
		t.Errorf("%q: read as %#v, config.Read reads %#v", doc, got, want)
	}
	return true
}

// Read declines a file it cannot read rather than say why: config.Read says.
func TestReadDeclinesUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := tokenagecfg.Read(filepath.Join(dir, "missing.toml"), "tokenage"); !errors.Is(err, tokenagecfg.ErrUnsupported) {
		t.Errorf("missing file: %v, want ErrUnsupported", err)
	}
	if _, err := tokenagecfg.Read(dir, "tokenage"); !errors.Is(err, tokenagecfg.ErrUnsupported) {
		t.Errorf("a directory: %v, want ErrUnsupported", err)
	}
}
