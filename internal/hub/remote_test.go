package hub

import (
	"regexp"
	"strings"
	"testing"
)

func TestParseRemote(t *testing.T) {
	cases := []struct {
		url, extra string
		want       RemoteRepo
		ok         bool
	}{
		{"https://huggingface.co/alice/llama-ft", "", RemoteRepo{ID: "alice/llama-ft", Type: "model"}, true},
		{"https://huggingface.co/alice/llama-ft.git", "", RemoteRepo{ID: "alice/llama-ft", Type: "model"}, true},
		{"https://huggingface.co/datasets/alice/corpus", "", RemoteRepo{ID: "alice/corpus", Type: "dataset"}, true},
		{"https://hf.co/spaces/alice/demo/", "", RemoteRepo{ID: "alice/demo", Type: "space"}, true},
		{"https://alice:hf_abcdefghijklmnopqrstuvwxyz01234567@huggingface.co/alice/m", "", RemoteRepo{ID: "alice/m", Type: "model", Token: "hf_abcdefghijklmnopqrstuvwxyz01234567"}, true},
		{"git@hf.co:alice/m.git", "", RemoteRepo{ID: "alice/m", Type: "model"}, true},
		{"ssh://git@hf.co/datasets/alice/d", "", RemoteRepo{ID: "alice/d", Type: "dataset"}, true},
		{"http://127.0.0.1:8080/alice/m", "127.0.0.1:8080", RemoteRepo{ID: "alice/m", Type: "model"}, true},
		{"https://github.com/alice/m", "", RemoteRepo{}, false},
		{"https://huggingface.co/alice", "", RemoteRepo{}, false},
		{"https://huggingface.co/models/alice/x/y", "", RemoteRepo{}, false},
		{"/srv/git/repo.git", "", RemoteRepo{}, false},
		{"../other", "", RemoteRepo{}, false},
	}
	for _, c := range cases {
		got, ok := ParseRemote(c.url, c.extra)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseRemote(%q) = %+v %v, want %+v %v", c.url, got, ok, c.want, c.ok)
		}
	}
}

// hubName is what the Hub allows in an owner or repository name.
var hubName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// FuzzParseRemote: an accepted remote names owner/name, and the same
// repository written in each form the Hub's clients use (https, scp-like
// ssh, ssh URL) reads back as the same id and type (round trip).
func FuzzParseRemote(f *testing.F) {
	f.Add("https://huggingface.co/datasets/alice/d")
	f.Add("git@hf.co:alice/m.git")
	f.Add("ssh://git@hf.co/spaces/alice/s")
	f.Add("https://user:hf_x@huggingface.co/alice/m/")
	f.Fuzz(func(t *testing.T, remote string) {
		r, ok := ParseRemote(remote, "")
		if !ok {
			return
		}
		owner, name, found := strings.Cut(r.ID, "/")
		if !found || owner == "" || name == "" || strings.Contains(name, "/") {
			t.Fatalf("bad id %q from %q", r.ID, remote)
		}
		if !hubName.MatchString(owner) || !hubName.MatchString(name) {
			return // not a name the Hub gives out: nothing to write back
		}
		prefix := map[string]string{"model": "", "dataset": "datasets/", "space": "spaces/"}[r.Type]
		for _, form := range []string{
			"https://huggingface.co/" + prefix + r.ID,
			"git@hf.co:" + prefix + r.ID + ".git",
			"ssh://git@hf.co/" + prefix + r.ID,
		} {
			again, ok := ParseRemote(form, "")
			if !ok || again.ID != r.ID || again.Type != r.Type {
				t.Fatalf("%q gave %+v; %q gives %+v, %v", remote, r, form, again, ok)
			}
		}
	})
}

func TestRemoteHost(t *testing.T) {
	cases := map[string]string{
		"https://github.com/alice/repo.git":           "github.com",
		"https://alice:secret@huggingface.co/alice/m": "huggingface.co",
		"http://127.0.0.1:8080/alice/m":               "127.0.0.1",
		"ssh://git@hf.co:22/alice/m":                  "hf.co",
		"git@github.com:alice/repo.git":               "github.com",
		"/srv/git/repo.git":                           "",
		"../other":                                    "",
	}
	for in, want := range cases {
		if got := RemoteHost(in); got != want {
			t.Errorf("RemoteHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRepo(t *testing.T) {
	valid := []struct{ in, id, kind string }{
		{"alice/llama-ft", "alice/llama-ft", "model"},
		{"alice/llama-ft:model", "alice/llama-ft", "model"},
		{"alice/data:dataset", "alice/data", "dataset"},
		{"ml-team/demo:space", "ml-team/demo", "space"},
		{"alice/x:", "alice/x", "model"},
	}
	for _, tc := range valid {
		id, kind, err := ParseRepo(tc.in)
		if err != nil || id != tc.id || kind != tc.kind {
			t.Errorf("ParseRepo(%q) = %q, %q, %v; want %q, %q", tc.in, id, kind, err, tc.id, tc.kind)
		}
	}
	invalid := map[string]string{
		"":                `repository "" is not of the form namespace/name`,
		"llama":           `repository "llama" is not of the form namespace/name`,
		"/llama":          "not of the form namespace/name",
		"alice/":          "not of the form namespace/name",
		"alice/x/y":       "not of the form namespace/name",
		"alice/x:models":  `unknown repository type "models" in "alice/x:models" (model, dataset or space)`,
		"alice/x:Dataset": `unknown repository type "Dataset"`,
		"alice/x:space:x": `unknown repository type "space:x"`,
		"llama:dataset":   `repository "llama" is not of the form namespace/name`,
	}
	for in, want := range invalid {
		id, kind, err := ParseRepo(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRepo(%q) = %q, %q, %v; want an error containing %q", in, id, kind, err, want)
		}
		if err != nil && (id != "" || kind != "") {
			t.Errorf("ParseRepo(%q) returns %q, %q with its error", in, id, kind)
		}
	}
}
