package push

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestParseUpdatesReadsEveryLine(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	in := "refs/heads/main " + a + " refs/heads/main " + b + "\n\n" +
		"refs/heads/feature " + b + " refs/heads/feature " + ZeroSHA + "\n" +
		"(delete) " + ZeroSHA + " refs/heads/old " + a + "\n"
	got, err := ParseUpdates(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d updates, want 3", len(got))
	}
	if got[0].NewRef() || got[0].Deletion() || !got[1].NewRef() || !got[2].Deletion() {
		t.Errorf("flags wrong: %+v", got)
	}
}

func TestParseUpdatesRejectsMalformedLines(t *testing.T) {
	for _, in := range []string{
		"refs/heads/main abc refs/heads/main def\n",
		"refs/heads/main " + strings.Repeat("a", 40) + "\n",
		"refs/heads/main " + strings.Repeat("A", 40) + " refs/heads/main " + ZeroSHA + "\n",
	} {
		if _, err := ParseUpdates(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: want an error naming line 1, got %v", in, err)
		}
	}
}

func TestParseHubRemote(t *testing.T) {
	cases := []struct {
		url, extra string
		want       HubRepo
		ok         bool
	}{
		{"https://huggingface.co/alice/llama-ft", "", HubRepo{ID: "alice/llama-ft", Type: "model"}, true},
		{"https://huggingface.co/alice/llama-ft.git", "", HubRepo{ID: "alice/llama-ft", Type: "model"}, true},
		{"https://huggingface.co/datasets/alice/corpus", "", HubRepo{ID: "alice/corpus", Type: "dataset"}, true},
		{"https://hf.co/spaces/alice/demo/", "", HubRepo{ID: "alice/demo", Type: "space"}, true},
		{"https://alice:hf_abcdefghijklmnopqrstuvwxyz01234567@huggingface.co/alice/m", "", HubRepo{ID: "alice/m", Type: "model", Token: "hf_abcdefghijklmnopqrstuvwxyz01234567"}, true},
		{"git@hf.co:alice/m.git", "", HubRepo{ID: "alice/m", Type: "model"}, true},
		{"ssh://git@hf.co/datasets/alice/d", "", HubRepo{ID: "alice/d", Type: "dataset"}, true},
		{"http://127.0.0.1:8080/alice/m", "127.0.0.1:8080", HubRepo{ID: "alice/m", Type: "model"}, true},
		{"https://github.com/alice/m", "", HubRepo{}, false},
		{"https://huggingface.co/alice", "", HubRepo{}, false},
		{"https://huggingface.co/models/alice/x/y", "", HubRepo{}, false},
		{"/srv/git/repo.git", "", HubRepo{}, false},
		{"../other", "", HubRepo{}, false},
	}
	for _, c := range cases {
		got, ok := ParseHubRemote(c.url, c.extra)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseHubRemote(%q) = %+v %v, want %+v %v", c.url, got, ok, c.want, c.ok)
		}
	}
}

// FuzzParseUpdates: what it accepts has well-formed ids, and printing the
// updates back as pre-push lines reads back the same (round trip).
func FuzzParseUpdates(f *testing.F) {
	f.Add("refs/heads/main " + strings.Repeat("a", 40) + " refs/heads/main " + ZeroSHA + "\n")
	f.Add("refs/heads/a " + ZeroSHA + " refs/heads/b " + strings.Repeat("f", 40) + "\r\n\nrefs/tags/v1 " + strings.Repeat("1", 40) + " refs/tags/v1 " + ZeroSHA)
	f.Fuzz(func(t *testing.T, in string) {
		updates, err := ParseUpdates(strings.NewReader(in))
		if err != nil {
			return
		}
		var lines strings.Builder
		for _, u := range updates {
			if !isSHA(u.LocalSHA) || !isSHA(u.RemoteSHA) {
				t.Errorf("accepted %+v", u)
			}
			fmt.Fprintf(&lines, "%s %s %s %s\n", u.LocalRef, u.LocalSHA, u.RemoteRef, u.RemoteSHA)
		}
		again, err := ParseUpdates(strings.NewReader(lines.String()))
		if err != nil || !slices.Equal(again, updates) {
			t.Errorf("%q parsed as %+v, printed as %q, which reads back as %+v, %v", in, updates, lines.String(), again, err)
		}
	})
}

// hubName is what the Hub allows in an owner or repository name.
var hubName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// FuzzParseHubRemote: an accepted remote names owner/name, and the same
// repository written in each form the Hub's clients use (https, scp-like
// ssh, ssh URL) reads back as the same id and type (round trip).
func FuzzParseHubRemote(f *testing.F) {
	f.Add("https://huggingface.co/datasets/alice/d")
	f.Add("git@hf.co:alice/m.git")
	f.Add("ssh://git@hf.co/spaces/alice/s")
	f.Add("https://user:hf_x@huggingface.co/alice/m/")
	f.Fuzz(func(t *testing.T, remote string) {
		r, ok := ParseHubRemote(remote, "")
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
			again, ok := ParseHubRemote(form, "")
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
