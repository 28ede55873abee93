package push

import (
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

func FuzzParseUpdates(f *testing.F) {
	f.Add("refs/heads/main " + strings.Repeat("a", 40) + " refs/heads/main " + ZeroSHA + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		updates, err := ParseUpdates(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, u := range updates {
			if !isSHA(u.LocalSHA) || !isSHA(u.RemoteSHA) {
				t.Errorf("accepted %+v", u)
			}
		}
	})
}

func FuzzParseHubRemote(f *testing.F) {
	f.Add("https://huggingface.co/datasets/alice/d")
	f.Add("git@hf.co:alice/m.git")
	f.Fuzz(func(t *testing.T, remote string) {
		r, ok := ParseHubRemote(remote, "")
		if ok && (r.ID == "" || strings.Count(r.ID, "/") != 1) {
			t.Errorf("bad id %q from %q", r.ID, remote)
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
