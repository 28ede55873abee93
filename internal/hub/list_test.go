package hub

import (
	"context"
	"slices"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
)

// TestListReposPagesAndRetries lists an organisation's models across Link
// pages, through 429s with Retry-After, with the private one only for a
// token that may read it.
func TestListReposPagesAndRetries(t *testing.T) {
	gittest.Require(t)
	bare := t.TempDir()
	gittest.Run(t, bare, "init", "-q", "--bare")
	f, err := hubtest.ParseFault("list:429@0x2")
	if err != nil {
		t.Fatal(err)
	}
	h := startHub(t, hubtest.Options{ListPage: 2, Faults: []hubtest.Fault{f}})
	for _, id := range []string{"ml-team/a", "ml-team/b", "ml-team/c"} {
		if err := h.AddGitRepo("model", id, bare, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.AddGitRepo("model", "ml-team/private", bare, true); err != nil {
		t.Fatal(err)
	}
	if err := h.AddGitRepo("dataset", "ml-team/d", bare, false); err != nil {
		t.Fatal(err)
	}
	for token, want := range map[string][]string{
		"":                {"ml-team/a", "ml-team/b", "ml-team/c"},
		hubtest.TokenRead: {"ml-team/a", "ml-team/b", "ml-team/c", "ml-team/private"},
	} {
		c := &Client{Endpoint: h.URL, Token: token, Retry: fastPolicy(4)}
		got, err := c.ListRepos(context.Background(), "model", "ml-team")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("with token %v: %v, want %v", token != "", ids, want)
		}
	}
	if got := (&Client{Endpoint: "https://hub.example"}).GitURL(Repo{Type: "space", ID: "a/b"}); got != "https://hub.example/spaces/a/b" {
		t.Errorf("GitURL = %s", got)
	}
}

// TestDiscussionsPages reads more discussions than a page holds, and a
// discussion's comments.
func TestDiscussionsPages(t *testing.T) {
	gittest.Require(t)
	bare := t.TempDir()
	gittest.Run(t, bare, "init", "-q", "--bare")
	h := startHub(t, hubtest.Options{})
	if err := h.AddGitRepo("space", "alice/app", bare, false); err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if _, err := h.AddDiscussion("space", "alice/app", "d", i%2 == 0, "first", "second"); err != nil {
			t.Fatal(err)
		}
	}
	c := &Client{Endpoint: h.URL, Retry: fastPolicy(2)}
	r := Repo{Type: "space", ID: "alice/app"}
	ds, err := c.Discussions(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 120 || ds[119].Num != 120 || !ds[0].IsPullRequest {
		t.Fatalf("%d discussions, last %+v", len(ds), ds[len(ds)-1])
	}
	ev, err := c.DiscussionEvents(context.Background(), r, 7)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range ev {
		if e.Type == "comment" {
			texts = append(texts, e.Data.Latest.Raw)
		}
	}
	if !slices.Equal(texts, []string{"first", "second"}) || ev[0].ID == "" {
		t.Errorf("comments %v, events %+v", texts, ev)
	}
}
