package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/retry"
)

// fastPolicy retries like the real policy, with waits of milliseconds.
func fastPolicy(attempts int) retry.Policy {
	return retry.Policy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 5 * time.Millisecond}
}

func startHub(t *testing.T, opts hubtest.Options) *hubtest.Hub {
	t.Helper()
	h, err := hubtest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

func newClient(h *hubtest.Hub, attempts int) *Client {
	return &Client{Endpoint: h.URL, Token: hubtest.TokenWrite, HTTP: &http.Client{}, Retry: fastPolicy(attempts)}
}

// writeFiles writes the named contents under a temp dir and returns them
// as LocalFiles.
func writeFiles(t *testing.T, contents map[string][]byte) []*LocalFile {
	t.Helper()
	dir := t.TempDir()
	var files []*LocalFile
	for p, data := range contents {
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, &LocalFile{Path: p, Abs: abs, Size: int64(len(data))})
	}
	return files
}

func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// upload runs a whole upload: head, plan, send, commit.
func upload(ctx context.Context, c *Client, repo Repo, files []*LocalFile) (CommitResult, error) {
	parent, err := c.Head(ctx, repo)
	if err != nil {
		return CommitResult{}, err
	}
	u := &Upload{Client: c, Repo: repo, Files: files, Parallel: 4}
	if err := u.Plan(ctx); err != nil {
		return CommitResult{}, err
	}
	if err := u.Send(ctx); err != nil {
		return CommitResult{}, err
	}
	ops := u.Operations(nil)
	if len(ops) == 0 {
		return CommitResult{}, nil
	}
	return c.Commit(ctx, repo, CommitRequest{Summary: "upload " + repo.ID, Parent: parent, Ops: ops})
}

// checkStored fails unless every file is at the head of the repository,
// byte for byte.
func checkStored(t *testing.T, h *hubtest.Hub, repo Repo, contents map[string][]byte) {
	t.Helper()
	stored := h.Files(repo.Type, repo.ID)
	for p, want := range contents {
		got, ok := stored[p]
		if !ok {
			t.Errorf("%s: %s missing", repo.ID, p)
			continue
		}
		if !bytes.Equal(got.Data, want) {
			t.Errorf("%s: %s differs (%d bytes stored, %d sent)", repo.ID, p, len(got.Data), len(want))
		}
	}
}

func TestUploadMixed(t *testing.T) {
	h := startHub(t, hubtest.Options{ChunkSize: 1000})
	contents := map[string][]byte{
		"config.json":       []byte(`{"a": 1}`),
		"empty.txt":         {},
		"model.safetensors": []byte("by .gitattributes"),
		"blob.dat":          randomBytes(1, 3500), // binary sample: LFS, 4 parts
		"same/a.dat":        randomBytes(2, 700),
		"same/b.dat":        randomBytes(2, 700), // identical: one object
	}
	c := newClient(h, 3)
	repo := Repo{ID: "alice/mixed", Type: "model"}
	res, err := upload(context.Background(), c, repo, writeFiles(t, contents))
	if err != nil {
		t.Fatal(err)
	}
	if res.OID == "" || !strings.HasSuffix(res.URL, "/alice/mixed/commit/"+res.OID) || res.Recovered {
		t.Errorf("result %+v", res)
	}
	checkStored(t, h, repo, contents)
	stored := h.Files("model", "alice/mixed")
	for p, lfs := range map[string]bool{"config.json": false, "empty.txt": false, "model.safetensors": true, "blob.dat": true, "same/a.dat": true} {
		if stored[p].LFS != lfs {
			t.Errorf("%s: lfs = %v, want %v", p, stored[p].LFS, lfs)
		}
	}
	if n := h.Count("part"); n != 4 {
		t.Errorf("%d parts sent, want 4", n)
	}
	if n := h.Count("upload"); n != 2 {
		t.Errorf("%d basic uploads, want 2 (model.safetensors and one of the identical pair)", n)
	}
}

func TestTokenNeverSentToStorage(t *testing.T) {
	h := startHub(t, hubtest.Options{ChunkSize: 1000})
	var mu sync.Mutex
	var leaks []string
	c := newClient(h, 3)
	c.HTTP = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasPrefix(r.URL.Path, "/lfs-storage/") && r.Header.Get("Authorization") != "" {
			mu.Lock()
			leaks = append(leaks, r.Method+" "+r.URL.Path)
			mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	if _, err := upload(context.Background(), c, Repo{ID: "alice/x", Type: "model"}, writeFiles(t, map[string][]byte{"a.bin": randomBytes(3, 2500), "b.bin": []byte("x")})); err != nil {
		t.Fatal(err)
	}
	if len(leaks) > 0 {
		t.Errorf("the token went to storage URLs: %v", leaks)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCommitLostAnswerIsNotDuplicated(t *testing.T) {
	h := startHub(t, hubtest.Options{Faults: []hubtest.Fault{{Kind: "commit", Lose: true, Times: 1}}})
	c := newClient(h, 4)
	repo := Repo{ID: "alice/lost", Type: "model"}
	contents := map[string][]byte{"a.txt": []byte("hello")}
	res, err := upload(context.Background(), c, repo, writeFiles(t, contents))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Recovered {
		t.Error("Recovered = false, want the commit found on the branch")
	}
	commits := h.Commits("model", repo.ID)
	if len(commits) != 2 || commits[1].ID != res.OID {
		t.Errorf("commits %+v, want the initial one and %s", commits, res.OID)
	}
	if n := len(logOf(h, "commit")); n != 1 {
		t.Errorf("%d commit requests, want 1: a lost answer must not be followed by a second POST when the commit landed", n)
	}
	checkStored(t, h, repo, contents)
}

func TestCommitRetriedWhenItDidNotLand(t *testing.T) {
	h := startHub(t, hubtest.Options{Faults: []hubtest.Fault{{Kind: "commit", Drop: 10, Times: 1}, {Kind: "commit", Status: 502, RetryAfter: 0, Times: 1}}})
	c := newClient(h, 5)
	repo := Repo{ID: "alice/retried", Type: "model"}
	contents := map[string][]byte{"a.txt": []byte("hello")}
	res, err := upload(context.Background(), c, repo, writeFiles(t, contents))
	if err != nil {
		t.Fatal(err)
	}
	if res.Recovered {
		t.Error("Recovered = true for a commit that only landed on the third POST")
	}
	if n := len(logOf(h, "commit")); n != 3 {
		t.Errorf("%d commit requests, want 3 (dropped, 502, ok)", n)
	}
	if n := len(h.Commits("model", repo.ID)); n != 2 {
		t.Errorf("%d commits, want 2", n)
	}
}

func TestCommitBranchMoved(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	c := newClient(h, 3)
	repo := Repo{ID: "alice/moved", Type: "model"}
	ctx := context.Background()
	parent, err := c.Head(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	// Someone else commits first.
	if _, err := upload(ctx, c, repo, writeFiles(t, map[string][]byte{"other.txt": []byte("theirs")})); err != nil {
		t.Fatal(err)
	}
	files := writeFiles(t, map[string][]byte{"mine.txt": []byte("mine")})
	_, err = c.Commit(ctx, repo, CommitRequest{Summary: "mine", Parent: parent, Ops: []Operation{{Path: "mine.txt", Size: 4, Content: FileSource(files[0].Abs)}}})
	if !errors.Is(err, ErrBranchMoved) {
		t.Fatalf("error %v, want ErrBranchMoved", err)
	}
	if !strings.Contains(err.Error(), "A commit has happened since") {
		t.Errorf("error %q lacks the Hub's own message", err)
	}
}

func TestHubErrorsVerbatim(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	c := newClient(h, 2)
	c.Token = hubtest.TokenRead
	_, err := c.Preupload(context.Background(), Repo{ID: "alice/x", Type: "model"}, []PreuploadFile{{Path: "a", Size: 1, Sample: []byte("a")}}, RepoRules{})
	var he *Error
	if !errors.As(err, &he) || he.StatusCode != 403 {
		t.Fatalf("error %v, want a 403 *Error", err)
	}
	if want := "preupload: the Hub answered 403 Forbidden: You don't have write access to models/alice/x with this token"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	_, err = c.Head(context.Background(), Repo{ID: "alice/missing-x", Type: "model"})
	if !errors.As(err, &he) || he.Code != "RepoNotFound" || !strings.Contains(err.Error(), "(RepoNotFound): Repository Not Found") {
		t.Errorf("error %v, want the X-Error-Code and message", err)
	}
}

func TestPersistentPartFailureStopsEverything(t *testing.T) {
	h := startHub(t, hubtest.Options{ChunkSize: 1000, Faults: []hubtest.Fault{{Kind: "part", Status: 503, RetryAfter: 0}}})
	c := newClient(h, 3)
	repo := Repo{ID: "alice/down", Type: "model"}
	_, err := upload(context.Background(), c, repo, writeFiles(t, map[string][]byte{"a.bin": randomBytes(4, 5000), "b.txt": []byte("b")}))
	var se *retry.StatusError
	if !errors.As(err, &se) || se.StatusCode != 503 || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("error %v, want the 503 after 3 attempts", err)
	}
	if n := len(h.Commits("model", repo.ID)); n != 1 {
		t.Errorf("%d commits, want only the initial one: nothing may be committed", n)
	}
	if n := len(logOf(h, "commit")); n != 0 {
		t.Errorf("%d commit requests after a failed upload", n)
	}
}

// logOf is the fake's log entries of one kind.
func logOf(h *hubtest.Hub, kind string) []hubtest.Request {
	var out []hubtest.Request
	for _, r := range h.Log() {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// TestFaultSoak runs 50 uploads against a Hub where about 30% of requests
// fail in every injected way: 429, 500, 503, connections cut during the
// body, commits applied but answered with a dropped connection. Every
// upload must complete, byte for byte, with exactly one commit.
func TestFaultSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: skipped with -short")
	}
	faults := []string{"*:503@0~0.12", "*:429@0~0.06", "*:500@0~0.05", "part:drop@3000~0.15", "upload:drop@100~0.15", "commit:lose~0.25", "commit:drop@50~0.1"}
	opts := hubtest.Options{ChunkSize: 4096, Seed: 7}
	for _, s := range faults {
		f, err := hubtest.ParseFault(s)
		if err != nil {
			t.Fatal(err)
		}
		opts.Faults = append(opts.Faults, f)
	}
	h := startHub(t, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()

	const uploads = 50
	type job struct {
		repo     Repo
		contents map[string][]byte
	}
	jobs := make([]job, uploads)
	for i := range jobs {
		jobs[i] = job{Repo{ID: fmt.Sprintf("alice/soak-%02d", i), Type: "model"}, map[string][]byte{
			"config.json":  fmt.Appendf(nil, `{"run": %d}`, i),
			"weights.bin":  randomBytes(uint64(i), 10000+i*97), // 3 parts
			"shard.pt":     randomBytes(uint64(1000+i), 1500),  // basic
			"notes/README": []byte(strings.Repeat("soak ", i+1)),
		}}
	}
	var wg sync.WaitGroup
	errs := make([]error, uploads)
	results := make([]CommitResult, uploads)
	sem := make(chan struct{}, 6)
	for i, j := range jobs {
		files := writeFiles(t, j.contents)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			// 12 attempts: at a 30% failure rate, 6 would fail an
			// upload every few runs; the point is that retries and resume
			// are correct, not that the policy gives up.
			results[i], errs[i] = upload(ctx, newClient(h, 12), j.repo, files)
		})
	}
	wg.Wait()
	recovered := 0
	for i, j := range jobs {
		if errs[i] != nil {
			t.Errorf("%s: %v", j.repo.ID, errs[i])
			continue
		}
		if results[i].Recovered {
			recovered++
		}
		checkStored(t, h, j.repo, j.contents)
		commits := h.Commits("model", j.repo.ID)
		if len(commits) != 2 || commits[1].ID != results[i].OID {
			t.Errorf("%s: %d commits (%+v), want exactly one besides the initial commit", j.repo.ID, len(commits), commits)
		}
	}
	var failed, total int
	for _, r := range h.Log() {
		total++
		if r.Fault != "" && r.Fault != "delay" {
			failed++
		}
	}
	rate := float64(failed) / float64(total)
	t.Logf("%d requests, %d failed (%.0f%%), %d commits recovered after a lost answer", total, failed, 100*rate, recovered)
	if rate < 0.2 || rate > 0.45 {
		t.Errorf("failure rate %.2f, want about 0.3", rate)
	}
	if recovered == 0 {
		t.Error("no commit answer was lost: the soak does not exercise the landed check")
	}
}

func TestManyFilesAreBatched(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	contents := map[string][]byte{}
	for i := range 600 {
		contents[fmt.Sprintf("shards/%03d.txt", i)] = fmt.Appendf(nil, "shard %d\n", i)
		if i < 150 {
			contents[fmt.Sprintf("weights/%03d.bin", i)] = fmt.Appendf(nil, "weights %d", i)
		}
	}
	c := newClient(h, 3)
	repo := Repo{ID: "alice/many", Type: "model"}
	if _, err := upload(context.Background(), c, repo, writeFiles(t, contents)); err != nil {
		t.Fatal(err)
	}
	checkStored(t, h, repo, contents)
	if n := h.Count("preupload"); n != 3 {
		t.Errorf("%d preupload requests for 750 files, want 3 (batches of 256)", n)
	}
	if n := h.Count("batch"); n < 2 {
		t.Errorf("%d LFS batch requests for 150 objects, want at least 2 (batches of 100)", n)
	}
	for _, r := range logOf(h, "batch") {
		if r.Bytes > 100*120 {
			t.Errorf("an LFS batch request of %d bytes: more than 100 objects", r.Bytes)
		}
	}
	if n := len(h.Commits("model", repo.ID)); n != 2 {
		t.Errorf("%d commits, want 2", n)
	}
}

func TestUploadedGitattributesDecide(t *testing.T) {
	h := startHub(t, hubtest.Options{})
	contents := map[string][]byte{
		".gitattributes": []byte("*.ckpt2 filter=lfs diff=lfs merge=lfs -text\n"),
		".gitignore":     []byte("*.log\n"),
		"model.ckpt2":    []byte("text, but LFS by the new .gitattributes"),
		"train.log":      []byte("ignored by the new .gitignore"),
	}
	c := newClient(h, 3)
	repo := Repo{ID: "alice/attrs", Type: "model"}
	files := writeFiles(t, contents)
	if _, err := upload(context.Background(), c, repo, files); err != nil {
		t.Fatal(err)
	}
	stored := h.Files("model", repo.ID)
	if !stored["model.ckpt2"].LFS {
		t.Error("model.ckpt2 is not LFS: the uploaded .gitattributes was not sent to preupload")
	}
	if _, ok := stored["train.log"]; ok {
		t.Error("train.log was uploaded: the uploaded .gitignore was not sent to preupload")
	}
	for _, f := range files {
		if f.Path == "train.log" && f.Action != Ignored {
			t.Errorf("train.log: action %q, want ignored", f.Action)
		}
	}
}

func TestStalledPartIsCutAndRetried(t *testing.T) {
	// The first part upload hangs (the storage holds it for 1.5 s); with a
	// 200 ms allowance it is cut and sent again.
	h := startHub(t, hubtest.Options{ChunkSize: 1000, Faults: []hubtest.Fault{{Kind: "part", Delay: 1500 * time.Millisecond, Times: 1}}})
	c := newClient(h, 3)
	c.StallTimeout = 200 * time.Millisecond
	var mu sync.Mutex
	var retries []error
	c.Retry.OnRetry = func(a retry.Attempt) { mu.Lock(); retries = append(retries, a.Err); mu.Unlock() }
	repo := Repo{ID: "alice/stall", Type: "model"}
	contents := map[string][]byte{"a.bin": randomBytes(9, 2500)}
	// A client that waited for the stalled part would get it after 1.5 s
	// and never retry: the one retry below, cut by the client's timeout,
	// is the proof, without timing anything.
	if _, err := upload(context.Background(), c, repo, writeFiles(t, contents)); err != nil {
		t.Fatal(err)
	}
	checkStored(t, h, repo, contents)
	if len(retries) != 1 || !strings.Contains(retries[0].Error(), "Client.Timeout exceeded") {
		t.Errorf("retries %v, want one after the stalled part timed out", retries)
	}
}
