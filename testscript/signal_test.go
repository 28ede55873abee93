package testscript

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// signalCommands interrupt a tool at a known point without timing: a
// server that never answers (or always asks to retry later), a wait for
// its Nth request, a wait for a file, and a signal to a process whose pid
// a file holds (testscript's kill sends only INT and KILL).
var signalCommands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"hangserver": cmdHangServer,
	"hangwait":   cmdHangWait,
	"waitfile":   cmdWaitFile,
	"signal":     cmdSignal,
}

// safety bounds the waits of these commands: a scenario that reaches it
// has failed; nothing asserts how long anything took.
const safety = 30 * time.Second

// hangs are the servers of the scenarios that started one.
var (
	hangsMu sync.Mutex
	hangs   = map[*testscript.TestScript]*hangServer{}
)

// hangServer counts requests and answers none of them until closed, or
// answers each with 503 and Retry-After: 60 (mode "retry").
type hangServer struct {
	mu      sync.Mutex
	arrived int
	changed chan struct{} // closed and replaced on each arrival
	stop    chan struct{}
}

// cmdHangServer starts the server and points VAR at it:
// `hangserver HF_ENDPOINT [retry]`.
func cmdHangServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "retry") {
		ts.Fatalf("usage: hangserver VAR [retry]")
	}
	h := &hangServer{changed: make(chan struct{}), stop: make(chan struct{})}
	retryLater := len(args) == 2
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.arrived++
		close(h.changed)
		h.changed = make(chan struct{})
		h.mu.Unlock()
		if retryLater {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
	}))
	hangsMu.Lock()
	hangs[ts] = h
	hangsMu.Unlock()
	ts.Defer(func() {
		close(h.stop)
		srv.Close()
		hangsMu.Lock()
		delete(hangs, ts)
		hangsMu.Unlock()
	})
	ts.Setenv(args[0], srv.URL)
}

// cmdHangWait waits until the server has received N requests: `hangwait N`.
func cmdHangWait(ts *testscript.TestScript, neg bool, args []string) {
	hangsMu.Lock()
	h, ok := hangs[ts]
	hangsMu.Unlock()
	if neg || len(args) != 1 || !ok {
		ts.Fatalf("usage: hangwait N (after hangserver)")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	timeout := time.After(safety)
	for {
		h.mu.Lock()
		got, changed := h.arrived, h.changed
		h.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-timeout:
			ts.Fatalf("hangserver received %d requests, want %d", got, n)
		}
	}
}

// cmdWaitFile waits until a file exists: `waitfile PATH`.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), safety)
	defer cancel()
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			ts.Fatalf("%s did not appear", args[0])
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// cmdSignal sends a signal to the pid in a file: `signal TERM pidfile`.
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	sigs := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: signal INT|TERM PIDFILE")
	}
	sig, ok := sigs[strings.TrimPrefix(args[0], "-")]
	if !ok {
		ts.Fatalf("usage: signal INT|TERM PIDFILE")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[1])))
	ts.Check(err)
	ts.Check(syscall.Kill(pid, sig))
}
