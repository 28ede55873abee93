package credential_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/credential/lite"
)

var modalCases = []string{
	"",
	"[default]\ntoken_id = \"ak-abc\"\ntoken_secret = \"as-def\"\n",
	"[a]\ntoken_id = 'ak-1'\ntoken_secret = 'as-1'\nactive = false\n[b]\ntoken_id = \"ak-2\"\nactive = true\nserver_url = \"https://api.modal.com\"\n",
	"[a]\nimage_builder_version = \"2024.10\"\nloglevel = \"debug\"\n[a.nested]\nx = \"y\"\n",
	"[a]\nsomething = [\"x\", \"y\"]\n",
	// For BurntSushi: a key in another case, wrong types, a value outside a table.
	"[a]\nToken_ID = \"ak-abc\"\n",
	"[a]\nACTIVE = true\n",
	"[a]\nactive = \"yes\"\n",
	"[a]\ntoken_id = true\n",
	"[a]\ntoken_id = [\"ak\"]\n",
	"top = \"x\"\n",
	"[a]\ntoken_id = \"\\u0061k\"\n",
	"[a\n",
}

// The small Modal reader decodes a file as BurntSushi/toml does (package
// credential's reader) or declines it; it never accepts what that refuses.
func TestSmallModalAgreesWithBurntSushi(t *testing.T) {
	accepted := 0
	for _, doc := range modalCases {
		if agreeModal(t, doc) {
			accepted++
		}
	}
	if accepted < 4 || accepted == len(modalCases) {
		t.Errorf("accepted %d of %d cases: the table should hold both kinds", accepted, len(modalCases))
	}
}

func FuzzSmallModal(f *testing.F) {
	for _, doc := range modalCases {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) { agreeModal(t, doc) })
}

func agreeModal(t *testing.T, doc string) bool {
	t.Helper()
	got, err := lite.Small.ModalTOML("f", []byte(doc))
	if err != nil {
		if !err.Unsupported {
			t.Errorf("%q: error %v, want Unsupported", doc, err)
		}
		return false
	}
	want, refErr := credential.Full.ModalTOML("f", []byte(doc))
	switch {
	case refErr != nil:
		t.Errorf("%q: accepted as %+v, but BurntSushi/toml refuses it: %v", doc, got, refErr)
	case len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want):
		t.Errorf("%q: read as %#v, BurntSushi/toml reads %#v", doc, got, want)
	}
	return true
}

var urlCases = []string{
	"https://api.wandb.ai", "http://localhost:8080", "https://wandb.example.com/api", "http://10.0.0.1:443/x/y",
	"HTTPS://Host.Example.COM", "http://h:", "git+ssh://h/p", "https://h/a_b~c.d-e",
	// For net/url.
	"https://user@h", "https://user:pw@h/", "http://[::1]:8080", "api.wandb.ai", "localhost:8080", "//h/p",
	"https://h?q=1", "https://h/#frag", "https://h/%41", "https://h:80:90", "https://h:x", "http://h\x7f", "1http://h",
	"https://", "https:///p", "https://h%2e/",
}

// The small URL host reader agrees with url.Parse(raw).Hostname() or declines.
func TestSmallURLHostAgreesWithNetURL(t *testing.T) {
	accepted := 0
	for _, raw := range urlCases {
		if agreeHost(t, raw) {
			accepted++
		}
	}
	if accepted < 6 || accepted == len(urlCases) {
		t.Errorf("accepted %d of %d cases: the table should hold both kinds", accepted, len(urlCases))
	}
}

func FuzzSmallURLHost(f *testing.F) {
	for _, raw := range urlCases {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) { agreeHost(t, raw) })
}

func agreeHost(t *testing.T, raw string) bool {
	t.Helper()
	got, ok := lite.Small.URLHost(raw)
	if !ok {
		return false
	}
	want := ""
	if u, err := url.Parse(raw); err == nil {
		want = u.Hostname()
	}
	if full, _ := credential.Full.URLHost(raw); got != want || full != want {
		t.Errorf("%q: host %q, url.Parse gives %q (package credential %q)", raw, got, want, full)
	}
	return true
}
