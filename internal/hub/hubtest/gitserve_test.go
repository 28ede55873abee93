package hubtest

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/gittest"
)

// bareRepo makes a bare repository with one commit and a refs/pr/1 and
// returns its directory and the head commit and the PR commit.
func bareRepo(t *testing.T) (dir, head, pr string) {
	t.Helper()
	gittest.Require(t)
	work := t.TempDir()
	gittest.Run(t, work, "init", "-q")
	gittest.Run(t, work, "commit", "-q", "--allow-empty", "-m", "first")
	head = strings.TrimSpace(gittest.Run(t, work, "rev-parse", "HEAD"))
	gittest.Run(t, work, "commit", "-q", "--allow-empty", "-m", "pr")
	pr = strings.TrimSpace(gittest.Run(t, work, "rev-parse", "HEAD"))
	gittest.Run(t, work, "update-ref", "refs/pr/1", pr)
	gittest.Run(t, work, "reset", "-q", "--hard", head)
	dir = filepath.Join(t.TempDir(), "bare.git")
	gittest.Run(t, work, "clone", "-q", "--mirror", work, dir)
	return dir, head, pr
}

// TestGitServesFetches holds the fake's git serving to the real git: a
// clone of each type's URL gets the branch, refs/pr/* comes with an
// explicit refspec, and a private repository needs a token that may read it.
func TestGitServesFetches(t *testing.T) {
	dir, head, pr := bareRepo(t)
	h, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	for _, typ := range []string{"model", "dataset", "space"} {
		if err := h.AddGitRepo(typ, User+"/open", dir, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.AddGitRepo("model", Org+"/secret", dir, true); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/alice/open", "/alice/open.git", "/datasets/alice/open", "/spaces/alice/open"} {
		clone := filepath.Join(t.TempDir(), "c")
		gittest.Run(t, "", "clone", "-q", "--bare", h.URL+path, clone)
		if got := strings.TrimSpace(gittest.Run(t, clone, "rev-parse", "HEAD")); got != head {
			t.Errorf("%s: HEAD = %s, want %s", path, got, head)
		}
		gittest.Run(t, clone, "fetch", "-q", h.URL+path, "+refs/pr/*:refs/pr/*")
		if got := strings.TrimSpace(gittest.Run(t, clone, "rev-parse", "refs/pr/1")); got != pr {
			t.Errorf("%s: refs/pr/1 = %s, want %s", path, got, pr)
		}
	}

	fetch := func(token string) (string, error) {
		clone := filepath.Join(t.TempDir(), "c")
		args := []string{"-c", "credential.helper=", "clone", "-q", "--bare", h.URL + "/ml-team/secret", clone}
		if token != "" {
			args = append([]string{"-c", "http.extraHeader=Authorization: Bearer " + token}, args...)
		}
		cmd := gittest.Command(t, "", args...)
		cmd.Env = append(cmd.Env, "GIT_TERMINAL_PROMPT=0")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := fetch(""); err == nil || !strings.Contains(out, "terminal prompts disabled") {
		t.Errorf("private clone without a token: err %v, output %s; want a 401 asking for credentials", err, out)
	}
	if out, err := fetch(TokenFineGrainedRead); err == nil || !strings.Contains(out, "not found") {
		t.Errorf("private clone with a token that may not read ml-team: err %v, output %s; want not found", err, out)
	}
	if out, err := fetch(TokenRead); err != nil {
		t.Errorf("private clone with a read token: %v: %s", err, out)
	}
}

// TestListPages checks the listing API: by author and type, private ones
// only with a token that may read them, pages chained by Link headers.
func TestListPages(t *testing.T) {
	dir, _, _ := bareRepo(t)
	h, err := Start(Options{ListPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	for _, id := range []string{"ml-team/a", "ml-team/b", "ml-team/c", "alice/d"} {
		if err := h.AddGitRepo("model", id, dir, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.AddGitRepo("model", "ml-team/p", dir, true); err != nil {
		t.Fatal(err)
	}
	if err := h.AddGitRepo("space", "ml-team/s", dir, false); err != nil {
		t.Fatal(err)
	}
	list := func(token string) []string {
		var ids []string
		next := h.URL + "/api/models?author=ml-team"
		for pages := 0; next != ""; pages++ {
			if pages > 10 {
				t.Fatal("the pages do not end")
			}
			resp, body := get(t, next, token)
			var page []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if len(page) > 2 {
				t.Errorf("a page of %d, want at most 2", len(page))
			}
			for _, p := range page {
				ids = append(ids, p.ID)
			}
			next = ""
			if m := regexpNext.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
				next = m[1]
			}
		}
		return ids
	}
	if got, want := list(""), []string{"ml-team/a", "ml-team/b", "ml-team/c"}; !slices.Equal(got, want) {
		t.Errorf("without a token: %v, want %v", got, want)
	}
	if got, want := list(TokenRead), []string{"ml-team/a", "ml-team/b", "ml-team/c", "ml-team/p"}; !slices.Equal(got, want) {
		t.Errorf("with a read token: %v, want %v", got, want)
	}
}

var regexpNext = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)
