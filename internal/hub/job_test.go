package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
)

func summaryOf(files, deletions int) string {
	return fmt.Sprintf("%d files, %d deletions", files, deletions)
}

// TestJobUploadsWithItsUserAgent runs a whole job (a regular file, an LFS
// file sent in parts, a deletion) and checks what the fake Hub received:
// the files at the new head, the commit summary, and the client's
// User-Agent on every request, storage included.
func TestJobUploadsWithItsUserAgent(t *testing.T) {
	h := startHub(t, hubtest.Options{ChunkSize: 1000})
	c := newClient(h, 3)
	c.UserAgent = "tokenguard-test/1.2.3"
	repo := Repo{ID: "alice/job", Type: "model"}
	ctx := context.Background()
	if _, err := upload(ctx, c, repo, writeFiles(t, map[string][]byte{"old.txt": []byte("old")})); err != nil {
		t.Fatal(err)
	}
	contents := map[string][]byte{"config.json": []byte(`{"a": 1}`), "blob.dat": randomBytes(4, 2500)}
	var events []string
	job := &Job{Client: c, Repo: repo, Files: writeFiles(t, contents), Exists: true, Summary: summaryOf,
		Deletions: func(remote []RemoteFile) []string {
			var out []string
			for _, f := range remote {
				if f.Path == "old.txt" {
					out = append(out, f.Path)
				}
			}
			return out
		},
		Events: Events{
			Created:     func() { events = append(events, "created") },
			Planned:     func(n int) { events = append(events, fmt.Sprintf("planned %d", n)) },
			Transferred: func() { events = append(events, "transferred") },
		}}
	res, err := job.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commit.OID == "" || res.Operations != 3 || !slices.Equal(res.Deletions, []string{"old.txt"}) {
		t.Errorf("result %+v; want a commit of 3 operations deleting old.txt", res)
	}
	if want := []string{"planned 2", "transferred"}; !slices.Equal(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
	checkStored(t, h, repo, contents)
	if _, ok := h.Files("model", repo.ID)["old.txt"]; ok {
		t.Error("old.txt is still on the branch")
	}
	commits := h.Commits("model", repo.ID)
	if last := commits[len(commits)-1]; last.Title != "2 files, 1 deletions" {
		t.Errorf("commit summary %q", last.Title)
	}
	kinds := map[string]bool{}
	for _, r := range h.Log() {
		kinds[r.Kind] = true
		if r.UserAgent != c.UserAgent {
			t.Errorf("%s %s: User-Agent %q, want %q", r.Method, r.Path, r.UserAgent, c.UserAgent)
		}
	}
	for _, k := range []string{"revision", "preupload", "tree", "batch", "part", "complete", "commit"} {
		if !kinds[k] {
			t.Errorf("no %s request: the test does not cover it", k)
		}
	}
}

// TestJobCreatesAMissingRepository: with Create, a repository the
// pre-flight did not find is created, then filled in one commit.
func TestJobCreatesAMissingRepository(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	repo := Repo{ID: "alice/missing-new", Type: "dataset"}
	contents := map[string][]byte{"data.csv": []byte("a,b\n1,2\n")}
	created := false
	job := &Job{Client: newClient(h, 3), Repo: repo, Files: writeFiles(t, contents), Create: true, Summary: summaryOf,
		Events: Events{Created: func() { created = true }}}
	res, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !created || res.Commit.OID == "" {
		t.Errorf("created %v, result %+v; want created and committed", created, res)
	}
	checkStored(t, h, repo, contents)
}

// TestJobDryRunChangesNothing: a dry run asks the Hub and hashes, then
// neither sends bytes nor commits, also for a repository still to create.
func TestJobDryRunChangesNothing(t *testing.T) {
	h := startHub(t, hubtest.Options{ChunkSize: 1000})
	for _, tc := range []struct {
		repo   Repo
		exists bool
	}{{Repo{ID: "alice/dry", Type: "model"}, true}, {Repo{ID: "alice/missing-dry", Type: "model"}, false}} {
		files := writeFiles(t, map[string][]byte{"a.txt": []byte("a"), "blob.dat": randomBytes(5, 2500)})
		job := &Job{Client: newClient(h, 3), Repo: tc.repo, Files: files, Exists: tc.exists, Create: true, DryRun: true, Summary: summaryOf}
		res, err := job.Run(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", tc.repo.ID, err)
		}
		if res.Operations != 0 || res.Commit.OID != "" {
			t.Errorf("%s: result %+v, want nothing committed", tc.repo.ID, res)
		}
		for _, f := range files {
			if f.Action == Pending || f.OID == "" {
				t.Errorf("%s: %s undecided (%q) or unhashed", tc.repo.ID, f.Path, f.Action)
			}
		}
	}
	for _, k := range []string{"create", "batch", "upload", "part", "commit"} {
		if n := h.Count(k); n != 0 {
			t.Errorf("%d %s requests in dry runs, want none", n, k)
		}
	}
}

// TestJobStepErrors: each failing step is named, and its Kind says what
// the caller can do about it.
func TestJobStepErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		token string
		rev   string
		fault *hubtest.Fault
		step  Step
		kind  Kind
	}{
		{name: "token rejected", token: "hf_" + strings.Repeat("x", 34), step: StepHead, kind: KindRejected},
		{name: "read token", token: hubtest.TokenRead, step: StepPlan, kind: KindForbidden},
		{name: "no such branch", rev: "nope", step: StepHead, kind: KindMissing},
		{name: "Hub down", fault: &hubtest.Fault{Kind: "preupload", Status: 503}, step: StepPlan, kind: KindIncomplete},
		{name: "bad request", fault: &hubtest.Fault{Kind: "commit", Status: 422}, step: StepCommit, kind: KindRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := hubtest.Options{}
			if tc.fault != nil {
				opts.Faults = []hubtest.Fault{*tc.fault}
			}
			h := startHub(t, opts)
			c := newClient(h, 2)
			if tc.token != "" {
				c.Token = tc.token
			}
			job := &Job{Client: c, Repo: Repo{ID: "alice/fail", Type: "model", Revision: tc.rev}, Exists: true,
				Files: writeFiles(t, map[string][]byte{"a.txt": []byte("a")}), Summary: summaryOf}
			_, err := job.Run(context.Background())
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *StepError", err, err)
			}
			if se.Step != tc.step || se.Kind() != tc.kind {
				t.Errorf("step %q kind %d, want %q kind %d (%v)", se.Step, se.Kind(), tc.step, tc.kind, err)
			}
			if se.Error() != se.Err.Error() {
				t.Errorf("StepError text %q differs from its cause's %q", se.Error(), se.Err.Error())
			}
		})
	}
	moved := &StepError{StepCommit, fmt.Errorf("commit: %w: %w", ErrBranchMoved, &Error{Op: "commit", StatusCode: http.StatusPreconditionFailed})}
	if moved.Kind() != KindBranchMoved {
		t.Errorf("a moved branch is kind %d, want KindBranchMoved", moved.Kind())
	}
}

// TestWhoAmIAndAuthCheck asks the fake Hub, which answers as the Hub
// documents: whoami-v2 for each kind of token, auth-check/write with 200,
// 403 and 404, and 401 for a token it does not know.
func TestWhoAmIAndAuthCheck(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	ctx := context.Background()
	c := newClient(h, 2)
	w, err := c.WhoAmI(ctx)
	if err != nil || w.Name != hubtest.User || w.Auth.AccessToken.Role != "write" || !w.CanWrite() {
		t.Errorf("whoami: %+v, %v; want alice with a write token", w, err)
	}
	for id, status := range map[string]int{"alice/model": 0, "bob/model": http.StatusForbidden, "alice/missing-x": http.StatusNotFound} {
		err := c.AuthCheck(ctx, "model", id)
		if status == 0 && err != nil || status != 0 && !IsStatus(err, status) {
			t.Errorf("auth-check %s: %v, want status %d", id, err, status)
		}
	}
	c.Token = hubtest.TokenRead
	if w, err := c.WhoAmI(ctx); err != nil || w.CanWrite() {
		t.Errorf("whoami with a read token: %+v, %v", w, err)
	}
	if err := c.AuthCheck(ctx, "model", "alice/model"); !IsStatus(err, http.StatusForbidden) {
		t.Errorf("auth-check with a read token: %v, want 403", err)
	}
	c.Token = "hf_" + strings.Repeat("x", 34)
	if _, err := c.WhoAmI(ctx); !IsStatus(err, http.StatusUnauthorized) {
		t.Errorf("whoami with an unknown token: %v, want 401", err)
	}
}
