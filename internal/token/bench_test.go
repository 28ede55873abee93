package token

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/retry"
)

// benchDelay is how long every fake takes to answer, as in issue 2's
// "each fake answering after 200 ms".
const benchDelay = 200 * time.Millisecond

// benchChecker starts the six fakes, each answering after benchDelay, and
// returns a Checker without cache that has a valid credential for each, and
// the requirements of all six.
func benchChecker(b *testing.B) (*Checker, []Requirement) {
	b.Helper()
	vars := map[string]string{}
	var reqs []Requirement
	for _, p := range Providers() {
		s := startFake(b, p.Name(), "ok")
		s.SetDelay(benchDelay)
		vars = merge(vars, validEnv(p.Name()), map[string]string{endpointVars[p.Name()]: s.URL})
		reqs = append(reqs, Requirement{Provider: p.Name()})
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	k := &Checker{
		Env:     mapEnv(b, vars),
		HTTP:    &http.Client{},
		Retry:   retry.Policy{Sleep: noSleep},
		Log:     log,
		Timeout: 10 * time.Second,
		Now:     time.Now,
	}
	// One untimed round opens the connections and proves every check passes.
	checkAll(b, k, reqs)
	return k, reqs
}

// checkAll runs one Check and fails the benchmark unless every result is valid.
func checkAll(b *testing.B, k *Checker, reqs []Requirement) time.Duration {
	start := time.Now()
	results := k.Check(context.Background(), reqs)
	elapsed := time.Since(start)
	for _, r := range results {
		if r.Status != Valid {
			b.Fatalf("%s: %s (%s)", r.Provider, r.Status, r.Reason)
		}
	}
	return elapsed
}

// BenchmarkCheckOne checks one provider (the Hub).
func BenchmarkCheckOne(b *testing.B) {
	k, reqs := benchChecker(b)
	for b.Loop() {
		checkAll(b, k, reqs[:1])
	}
}

// BenchmarkCheckSix checks all six providers, which run in parallel.
func BenchmarkCheckSix(b *testing.B) {
	k, reqs := benchChecker(b)
	for b.Loop() {
		checkAll(b, k, reqs)
	}
}

// BenchmarkParallelRatio measures both in one run, alternating so that
// both see the same machine load, and reports six/one: the time of six
// parallel checks over the time of one. Issue 2 asks for well under 2.
func BenchmarkParallelRatio(b *testing.B) {
	k, reqs := benchChecker(b)
	var one, six time.Duration
	var rounds int
	for b.Loop() {
		one += checkAll(b, k, reqs[:1])
		six += checkAll(b, k, reqs)
		rounds++
	}
	b.ReportMetric(float64(one.Milliseconds())/float64(rounds), "ms/one")
	b.ReportMetric(float64(six.Milliseconds())/float64(rounds), "ms/six")
	b.ReportMetric(float64(six)/float64(one), "six/one")
}
