package hubtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kinds of request, as fault rules and the request log name them.
var kinds = []string{
	"whoami", "auth-check", "create", "revision", "commits", "tree",
	"preupload", "batch", "upload", "part", "complete", "verify", "commit", "git", "list", "discussions",
}

// Fault is a rule that makes the fake misbehave on requests of one kind.
type Fault struct {
	// Kind is the request kind (see Request.Kind); "*" is every kind but
	// whoami and auth-check, which the pre-flight needs.
	Kind string
	// Status answers with this HTTP status instead of handling the request,
	// with Retry-After: RetryAfter seconds when it is 0 or more (a 429
	// always has one, 1 by default).
	Status     int
	RetryAfter int
	// Drop reads this many bytes of the request body, then cuts the
	// connection without answering.
	Drop int64
	// Lose handles the request (a commit lands), then cuts the connection
	// instead of answering: the client never learns it worked.
	Lose bool
	// Delay holds the request this long before handling it.
	Delay time.Duration
	// Times is how many matching requests the rule hits; 0 is every one.
	Times int
	// Rate, when above 0, hits each matching request with this probability.
	Rate float64
}

// faultSyntax is KIND:ACTION[@PARAM][xTIMES][~RATE]; ACTION is an HTTP
// status, drop, lose or delay.
var faultSyntax = regexp.MustCompile(`^([a-z*-]+):(\d{3}|drop|lose|delay)(?:@([0-9.]+[a-z]*))?(?:x(\d+))?(?:~(0?\.\d+|1))?$`)

// ParseFault reads a rule written KIND:ACTION[@PARAM][xTIMES][~RATE], e.g.
// "commit:lose" (the next commit lands but its answer is lost),
// "part:drop@65536x2" (cut the next two part uploads after 64 KiB),
// "batch:429@0x3" (three 429s with Retry-After: 0), "part:delay@300ms",
// "*:503~0.3" (30% of requests get 503).
func ParseFault(s string) (Fault, error) {
	m := faultSyntax.FindStringSubmatch(s)
	if m == nil {
		return Fault{}, fmt.Errorf("fault rule %q is not KIND:ACTION[@PARAM][xTIMES][~RATE] (e.g. commit:lose, part:drop@65536x2, batch:429@0, *:503~0.3)", s)
	}
	f := Fault{Kind: m[1]}
	if f.Kind != "*" && !slices.Contains(kinds, f.Kind) {
		return Fault{}, fmt.Errorf("fault rule %q: unknown request kind %q (valid: *, %s)", s, f.Kind, strings.Join(kinds, ", "))
	}
	param := m[3]
	switch action := m[2]; action {
	case "drop":
		n, err := strconv.ParseInt(param, 10, 64)
		if err != nil || n < 0 {
			return Fault{}, fmt.Errorf("fault rule %q: drop needs @BYTES", s)
		}
		f.Drop = n
		if n == 0 {
			f.Drop = -1 // cut before reading anything
		}
	case "lose":
		f.Lose = true
	case "delay":
		d, err := time.ParseDuration(param)
		if err != nil {
			return Fault{}, fmt.Errorf("fault rule %q: delay needs @DURATION: %v", s, err)
		}
		f.Delay = d
	default:
		f.Status, _ = strconv.Atoi(action)
		f.RetryAfter = -1
		if f.Status == http.StatusTooManyRequests {
			f.RetryAfter = 1
		}
		if param != "" {
			n, err := strconv.Atoi(param)
			if err != nil {
				return Fault{}, fmt.Errorf("fault rule %q: @ gives the Retry-After seconds", s)
			}
			f.RetryAfter = n
		}
	}
	if m[4] != "" {
		f.Times, _ = strconv.Atoi(m[4])
	}
	if m[5] != "" {
		f.Rate, _ = strconv.ParseFloat(m[5], 64)
	}
	return f, nil
}

// rule is a Fault with its remaining budget.
type rule struct {
	Fault
	left int // hits left when Times > 0
}

// Request is one entry of the fake's request log.
type Request struct {
	Kind   string
	Method string
	Path   string
	Status int    // 0 when the connection was cut
	Fault  string // the fault applied, if any: "503", "drop", "lose", "delay"
	Bytes  int64  // request body bytes read
	OID    string // LFS object of an upload, part or completion
	Part   int    // part number of a part upload
	// UserAgent is the client's User-Agent header.
	UserAgent string
}

// faults holds the rules and the request log.
type faults struct {
	mu    sync.Mutex
	rules []*rule
	rng   *rand.Rand
	log   []Request
}

func newFaults(seed uint64, fs []Fault) *faults {
	f := &faults{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, fault := range fs {
		f.add(fault)
	}
	return f
}

func (f *faults) add(fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, &rule{Fault: fault, left: fault.Times})
}

// pick returns the fault to apply to a request of this kind, if any, and
// uses up one hit of it. Delays combine with the other faults.
func (f *faults) pick(kind string) (fault Fault, delay time.Duration, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.Kind != kind && (r.Kind != "*" || kind == "whoami" || kind == "auth-check") {
			continue
		}
		isDelay := r.Delay > 0 && r.Status == 0 && r.Drop == 0 && !r.Lose
		if (r.Times > 0 && r.left == 0) || (ok && !isDelay) {
			continue // used up, or another fault already hits this request
		}
		if r.Rate > 0 && f.rng.Float64() >= r.Rate {
			continue
		}
		if r.Times > 0 {
			r.left--
		}
		if isDelay {
			delay += r.Delay
			continue
		}
		fault, ok = r.Fault, true
	}
	return fault, delay, ok
}

func (f *faults) record(r Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, r)
}

// tracked is what a handler tells the log about its request.
type tracked struct {
	oid  string
	part int
}

type trackedKey struct{}

// track lets a handler name the object and part of its request in the log.
func track(r *http.Request, oid string, part int) {
	if t, ok := r.Context().Value(trackedKey{}).(*tracked); ok {
		t.oid, t.part = oid, part
	}
}

// countingBody counts what a handler reads of the request body.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// wrap makes a handler for one kind of request: it logs the request and
// applies the fault rules to it.
func (f *faults) wrap(kind string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := &tracked{}
		r = r.WithContext(context.WithValue(r.Context(), trackedKey{}, t))
		body := &countingBody{ReadCloser: r.Body}
		r.Body = body
		entry := Request{Kind: kind, Method: r.Method, Path: r.URL.Path, UserAgent: r.UserAgent()}
		defer func() {
			entry.Bytes, entry.OID, entry.Part = body.n, t.oid, t.part
			f.record(entry)
		}()

		fault, delay, ok := f.pick(kind)
		if delay > 0 {
			entry.Fault = "delay"
			if !hold(r.Context(), delay) {
				return
			}
		}
		if !ok {
			sw := &statusWriter{ResponseWriter: w}
			next(sw, r)
			entry.Status = sw.status
			return
		}
		switch {
		case fault.Drop != 0:
			entry.Fault = "drop"
			if fault.Drop > 0 {
				_, _ = io.CopyN(io.Discard, r.Body, fault.Drop)
			}
			cut(w)
		case fault.Lose:
			entry.Fault = "lose"
			rec := httptest.NewRecorder()
			next(rec, r)
			entry.Status = 0
			cut(w)
		default:
			entry.Fault = strconv.Itoa(fault.Status)
			entry.Status = fault.Status
			// Read the body as a real server would before answering, so
			// the client is not cut off mid-send.
			_, _ = io.Copy(io.Discard, r.Body)
			if fault.RetryAfter >= 0 {
				w.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfter))
			}
			w.Header().Set("X-Error-Code", "InjectedFault")
			writeError(w, fault.Status, "injected fault: "+http.StatusText(fault.Status))
		}
	}
}

// hold waits d, or until the client hangs up; it reports whether the client
// is still there.
func hold(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// cut closes the connection without an answer, as a crashed proxy or a
// dropped network would.
func cut(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// readAll reads a request body whole; bodies of the fake are small except
// LFS uploads, which have their own paths.
func readAll(r *http.Request, limit int64) ([]byte, error) {
	var b bytes.Buffer
	n, err := io.Copy(&b, io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("body over %d bytes", limit)
	}
	return b.Bytes(), nil
}
