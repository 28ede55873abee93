package testscript

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// The stateful fake Hub of each scenario that started one with hubfake.
var (
	hubsMu sync.Mutex
	hubs   = map[*testscript.TestScript]*hubState{}
)

type hubState struct {
	hub  *hubtest.Hub
	mark int // length of the request log at the last hubmark
}

func init() {
	hubCommands["hubfake"] = cmdHubFake
	hubCommands["hubfault"] = cmdHubFault
	hubCommands["hubfile"] = cmdHubFile
	hubCommands["hubcommits"] = cmdHubCommits
	hubCommands["hubreq"] = cmdHubReq
	hubCommands["hubwait"] = cmdHubWait
	hubCommands["hubmark"] = cmdHubMark
	hubCommands["hubagent"] = cmdHubAgent
	hubCommands["hubnoresend"] = cmdHubNoResend
	hubCommands["randfile"] = cmdRandFile
	hubCommands["hubgit"] = cmdHubGit
	hubCommands["hubdiscussion"] = cmdHubDiscussion
}

// hubCommands are the commands of this file, added to the scenarios' own.
var hubCommands = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

func hubOf(ts *testscript.TestScript) *hubState {
	hubsMu.Lock()
	defer hubsMu.Unlock()
	s, ok := hubs[ts]
	if !ok {
		ts.Fatalf("no fake Hub: run hubfake first")
	}
	return s
}

// cmdHubFake starts the stateful fake Hub, with fault rules:
// `hubfake [BEHAVIOUR] [chunk=BYTES] [page=N] [RULE…]` (see hubtest.ParseFault). It
// sets HF_ENDPOINT and counts as fakehub for `requests fakehub N`.
func cmdHubFake(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("hubfake does not support !")
	}
	opts := hubtest.Options{Seed: 1}
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "page="):
			n, err := strconv.Atoi(strings.TrimPrefix(a, "page="))
			ts.Check(err)
			opts.ListPage = n
		case strings.HasPrefix(a, "chunk="):
			n, err := strconv.ParseInt(strings.TrimPrefix(a, "chunk="), 10, 64)
			ts.Check(err)
			opts.ChunkSize = n
		case strings.Contains(a, ":"):
			f, err := hubtest.ParseFault(a)
			ts.Check(err)
			opts.Faults = append(opts.Faults, f)
		default:
			opts.Behaviour = a
		}
	}
	h, err := hubtest.Start(opts)
	ts.Check(err)
	hubsMu.Lock()
	hubs[ts] = &hubState{hub: h}
	hubsMu.Unlock()
	ts.Defer(func() {
		h.Close()
		hubsMu.Lock()
		delete(hubs, ts)
		hubsMu.Unlock()
	})
	ts.Setenv("HF_ENDPOINT", h.URL)
	ts.Value(fakesKey{}).(map[string]*tokentest.Server)["fakehub"] = h.Server
}

// cmdHubFault adds fault rules to the running fake Hub, or with `clear`
// removes them all.
func cmdHubFault(ts *testscript.TestScript, neg bool, args []string) {
	s := hubOf(ts)
	for _, a := range args {
		if a == "clear" {
			s.hub.ClearFaults()
			continue
		}
		f, err := hubtest.ParseFault(a)
		ts.Check(err)
		s.hub.AddFault(f)
	}
}

// repoArg reads REPO[:TYPE].
func repoArg(a string) (kind, id string) {
	id, kind, _ = strings.Cut(a, ":")
	return kind, id
}

// cmdHubFile asserts that a file is at the head of a repository with the
// content of a local file (- for any content): `hubfile REPO[:TYPE] PATH LOCAL [lfs|regular]`;
// `! hubfile REPO PATH` asserts it is not there.
func cmdHubFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || len(args) > 4 || neg != (len(args) == 2) {
		ts.Fatalf("usage: hubfile REPO[:TYPE] PATH LOCAL [lfs|regular] | ! hubfile REPO[:TYPE] PATH")
	}
	kind, id := repoArg(args[0])
	f, ok := hubOf(ts).hub.Files(kind, id)[args[1]]
	if neg {
		if ok {
			ts.Fatalf("%s is in %s", args[1], id)
		}
		return
	}
	if !ok {
		ts.Fatalf("%s is not in %s", args[1], id)
	}
	if args[2] == "-" {
		return // there, whatever its content
	}
	want, err := os.ReadFile(ts.MkAbs(args[2]))
	ts.Check(err)
	if !bytes.Equal(f.Data, want) {
		ts.Fatalf("%s in %s: %d bytes differ from %s (%d bytes)", args[1], id, f.Size, args[2], len(want))
	}
	if len(args) == 4 && (args[3] == "lfs") != f.LFS {
		ts.Fatalf("%s in %s: lfs=%v, want %s", args[1], id, f.LFS, args[3])
	}
}

// cmdHubCommits asserts how many commits a repository has, the Hub's
// initial commit included: `hubcommits REPO[:TYPE] N`.
func cmdHubCommits(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: hubcommits REPO[:TYPE] N")
	}
	kind, id := repoArg(args[0])
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	commits := hubOf(ts).hub.Commits(kind, id)
	for _, c := range commits {
		ts.Logf("commit %s %q", c.ID[:12], c.Title)
	}
	if (len(commits) == want) == neg {
		ts.Fatalf("%s has %d commits, want %s%d", id, len(commits), map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdHubReq asserts how many requests of a kind the fake Hub answered with
// success: `hubreq KIND N`.
func cmdHubReq(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: hubreq KIND N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	got := hubOf(ts).hub.Count(args[0])
	if (got == want) == neg {
		ts.Fatalf("fake Hub answered %d %s requests, want %s%d", got, args[0], map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdHubWait waits (up to 20 s) until the fake Hub has answered N requests
// of a kind with success since the last hubmark: `hubwait KIND N`.
func cmdHubWait(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: hubwait KIND N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	s := hubOf(ts)
	base := 0
	for _, r := range s.hub.Log()[:s.mark] {
		if r.Kind == args[0] && r.Status >= 200 && r.Status < 300 {
			base++
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ts.Check(s.hub.WaitFor(ctx, args[0], base+n))
}

// cmdHubMark remembers where the request log is, for hubnoresend.
func cmdHubMark(ts *testscript.TestScript, neg bool, args []string) {
	s := hubOf(ts)
	s.mark = len(s.hub.Log())
	ts.Logf("mark at request %d", s.mark)
}

// cmdHubAgent asserts that every request the fake Hub received since the
// last hubmark, of the kinds named (default: all), carried a User-Agent
// matching REGEXP, and that there was at least one:
// `hubagent REGEXP [KIND…]`.
func cmdHubAgent(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || neg {
		ts.Fatalf("usage: hubagent REGEXP [KIND…]")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	s := hubOf(ts)
	n := 0
	for _, r := range s.hub.Log()[s.mark:] {
		if len(args) > 1 && !slices.Contains(args[1:], r.Kind) {
			continue
		}
		n++
		if !re.MatchString(r.UserAgent) {
			ts.Fatalf("%s %s came with User-Agent %q, not matching %s", r.Method, r.Path, r.UserAgent, args[0])
		}
	}
	if n == 0 {
		ts.Fatalf("no request to check since the mark")
	}
	ts.Logf("%d requests with a User-Agent matching %s", n, args[0])
}

// cmdHubNoResend asserts that no byte of an LFS object stored before the
// mark was sent again after it, and that parts did go out after it (so the
// check is not vacuous); it logs what was sent on each side.
func cmdHubNoResend(ts *testscript.TestScript, neg bool, args []string) {
	s := hubOf(ts)
	log := s.hub.Log()
	before, after := log[:s.mark], log[s.mark:]
	completed := map[string]bool{}
	var sentBefore, sentAfter int64
	for _, r := range before {
		if (r.Kind == "complete" || r.Kind == "upload") && r.Status == 200 {
			completed[r.OID] = true
		}
		if r.Kind == "part" || r.Kind == "upload" {
			sentBefore += r.Bytes
		}
	}
	for _, r := range after {
		if r.Kind != "part" && r.Kind != "upload" {
			continue
		}
		sentAfter += r.Bytes
		if completed[r.OID] {
			ts.Fatalf("object %s was stored before the mark, but %s %s sent it again", r.OID[:12], r.Method, r.Path)
		}
	}
	ts.Logf("before the mark: %d objects stored, %d bytes sent; after: %d bytes sent", len(completed), sentBefore, sentAfter)
	if len(completed) == 0 || sentAfter == 0 {
		ts.Fatalf("nothing to compare: %d objects stored before the mark, %d bytes sent after", len(completed), sentAfter)
	}
}

// cmdRandFile writes SIZE pseudo-random bytes (seeded by the name, so runs
// repeat) to PATH: `randfile PATH SIZE`. Random bytes hold NULs, so the Hub
// sends such files to LFS.
func cmdRandFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: randfile PATH SIZE")
	}
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	seed := uint64(0)
	for _, c := range args[0] {
		seed = seed*31 + uint64(c)
	}
	rng := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), byte(seed >> 24)})
	data := make([]byte, n)
	_, _ = rng.Read(data)
	path := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o755))
	ts.Check(os.WriteFile(path, data, 0o644))
}

// cmdHubGit makes the fake Hub serve a bare repository over git and list
// it: `hubgit model|dataset|space NAMESPACE/NAME DIR [private]`.
func cmdHubGit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 || (len(args) == 4 && args[3] != "private") {
		ts.Fatalf("usage: hubgit model|dataset|space NAMESPACE/NAME DIR [private]")
	}
	ts.Check(hubOf(ts).hub.AddGitRepo(args[0], args[1], ts.MkAbs(args[2]), len(args) == 4))
}

// cmdHubDiscussion opens a discussion on a repository added with hubgit,
// with a comment per file: `hubdiscussion TYPE NAMESPACE/NAME TITLE [pr] FILE…`.
func cmdHubDiscussion(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: hubdiscussion TYPE NAMESPACE/NAME TITLE [pr] FILE...")
	}
	files, pr := args[3:], false
	if len(files) > 0 && files[0] == "pr" {
		files, pr = files[1:], true
	}
	var comments []string
	for _, f := range files {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		comments = append(comments, string(data))
	}
	_, err := hubOf(ts).hub.AddDiscussion(args[0], args[1], args[2], pr, comments...)
	ts.Check(err)
}
