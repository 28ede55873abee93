package verify

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/token"
)

// fakeProvider records what it is asked to validate and answers from a table.
type fakeProvider struct {
	token.Provider // the real one, for Name and Format
	mu             sync.Mutex
	seen           []token.Credential
	answer         map[string]token.Status
}

func (p *fakeProvider) Validate(_ context.Context, c token.Credential, _ token.Requirement, _ token.Live) token.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, c)
	st, ok := p.answer[c.Value]
	if !ok {
		st = token.Unknown
	}
	return token.Result{Status: st, Reason: "fake"}
}

func testVerifier(t *testing.T, fakes map[string]*fakeProvider) *Verifier {
	t.Helper()
	log := logrus.New()
	log.Out = io.Discard
	return &Verifier{log: log, providers: func(name string) (token.Provider, bool) {
		p, ok := fakes[name]
		return p, ok
	}}
}

// Fake values in the providers' formats (the GitHub one with its checksum).
const (
	hfLive  = "hf_bPlNFGdSC2wd8f2QnFhk5A84JJjKWZdKH9"
	hfDead  = "hf_26nDVqhmE9ReI99WUZDPGFWR8lyGpWlbsx"
	ghpLive = "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"
)

func TestVerifyChecksEachValueOnceWithItsOwnProvider(t *testing.T) {
	hf, _ := token.Lookup("hf")
	gh, _ := token.Lookup("github")
	fakes := map[string]*fakeProvider{
		"hf":     {Provider: hf, answer: map[string]token.Status{hfLive: token.Valid, hfDead: token.Expired}},
		"github": {Provider: gh, answer: map[string]token.Status{ghpLive: token.Insufficient}},
	}
	fs := []scan.Finding{
		{RuleID: "huggingface-token", Provider: "huggingface", File: "a.py", Line: 1, Secret: hfLive},
		{RuleID: "huggingface-token", Provider: "huggingface", File: "b.py", Line: 9, Secret: hfLive},
		{RuleID: "huggingface-token", Provider: "huggingface", File: "b.py", Line: 10, Secret: hfDead},
		{RuleID: "github-token", Provider: "github", File: "c.sh", Line: 2, Secret: ghpLive},
		{RuleID: "groq-api-key", Provider: "groq", File: "d.py", Line: 3, Secret: "gsk_x"},
		{RuleID: "openai-api-key", Provider: "openai", File: "e.py", Line: 4, Secret: "sk-x"},
	}
	testVerifier(t, fakes).Verify(context.Background(), fs)
	want := []string{Valid, Valid, Invalid, Valid, "", ""}
	for i, f := range fs {
		if f.Verification != want[i] {
			t.Errorf("finding %d (%s %s): %q, want %q", i, f.RuleID, f.Secret, f.Verification, want[i])
		}
	}
	if n := len(fakes["hf"].seen); n != 2 {
		t.Errorf("hf asked %d times, want 2 (one per distinct value)", n)
	}
	for _, c := range fakes["hf"].seen {
		if c.Value != hfLive && c.Value != hfDead || c.Source == "" {
			t.Errorf("hf was sent %+v", c)
		}
	}
	if len(fakes["github"].seen) != 1 || fakes["github"].seen[0].Value != ghpLive {
		t.Errorf("github was sent %+v", fakes["github"].seen)
	}
}

func TestVerifyPairsModalHalvesInOneFile(t *testing.T) {
	modal, _ := token.Lookup("modal")
	fake := &fakeProvider{Provider: modal, answer: map[string]token.Status{"ak-one1234567890ABCDEF": token.Valid}}
	fs := []scan.Finding{
		{RuleID: "modal-token-id", Provider: "modal", File: "a.toml", Line: 2, Secret: "ak-one1234567890ABCDEF"},
		{RuleID: "modal-token-secret", Provider: "modal", File: "a.toml", Line: 3, Secret: "as-one1234567890ABCDEF"},
		{RuleID: "modal-token-id", Provider: "modal", File: "a.toml", Line: 7, Secret: "ak-two1234567890ABCDEF"},
		{RuleID: "modal-token-secret", Provider: "modal", File: "a.toml", Line: 8, Secret: "as-two1234567890ABCDEF"},
		{RuleID: "modal-token-id", Provider: "modal", File: "lonely.env", Line: 1, Secret: "ak-three234567890ABCDE"},
		{RuleID: "modal-token-secret", Provider: "modal", File: "other.env", Line: 1, Secret: "as-three234567890ABCDE"},
	}
	testVerifier(t, map[string]*fakeProvider{"modal": fake}).Verify(context.Background(), fs)
	want := []string{Valid, Valid, Unknown, Unknown, "", ""}
	for i, f := range fs {
		if f.Verification != want[i] {
			t.Errorf("finding %d (%s line %d): %q, want %q", i, f.File, f.Line, f.Verification, want[i])
		}
	}
	pairs := map[string]string{}
	for _, c := range fake.seen {
		pairs[c.Value] = c.Secret
	}
	if len(pairs) != 2 || pairs["ak-one1234567890ABCDEF"] != "as-one1234567890ABCDEF" || pairs["ak-two1234567890ABCDEF"] != "as-two1234567890ABCDEF" {
		t.Errorf("pairs sent: %v; want each id with the nearest secret of its file", pairs)
	}
}

func TestVerifyFormatFailureNeedsNoRequest(t *testing.T) {
	gh, _ := token.Lookup("github")
	fake := &fakeProvider{Provider: gh}
	// Quotes pasted around a value fail the offline format check.
	fs := []scan.Finding{{RuleID: "github-token", Provider: "github", File: "x", Line: 1, Secret: " " + ghpLive}}
	testVerifier(t, map[string]*fakeProvider{"github": fake}).Verify(context.Background(), fs)
	if fs[0].Verification != Invalid || len(fake.seen) != 0 {
		t.Errorf("verification %q after %d requests; want invalid with none", fs[0].Verification, len(fake.seen))
	}
}

// gateProvider holds every check until four are under way at once, and
// records the most it ever saw together.
type gateProvider struct {
	token.Provider
	mu        sync.Mutex
	now, most int
	full      chan struct{}
	fullOnce  sync.Once
}

func (p *gateProvider) Validate(_ context.Context, _ token.Credential, _ token.Requirement, _ token.Live) token.Result {
	p.mu.Lock()
	p.now++
	p.most = max(p.most, p.now)
	if p.now == 4 {
		p.fullOnce.Do(func() { close(p.full) })
	}
	p.mu.Unlock()
	select {
	case <-p.full:
	case <-time.After(5 * time.Second): // a broken limit must fail the test, not hang it
	}
	p.mu.Lock()
	p.now--
	p.mu.Unlock()
	return token.Result{Status: token.Valid}
}

func TestVerifyChecksFourAtATime(t *testing.T) {
	hf, _ := token.Lookup("hf")
	gate := &gateProvider{Provider: hf, full: make(chan struct{})}
	var fs []scan.Finding
	for i := range 12 {
		fs = append(fs, scan.Finding{RuleID: "huggingface-token", Provider: "huggingface", File: "a.py", Line: i + 1,
			Secret: fmt.Sprintf("hf_%034d", i)})
	}
	log := logrus.New()
	log.Out = io.Discard
	v := &Verifier{log: log, providers: func(name string) (token.Provider, bool) { return gate, name == "hf" }}
	v.Verify(context.Background(), fs)
	if gate.most != 4 {
		t.Errorf("%d checks ran at once; want exactly 4", gate.most)
	}
	for i, f := range fs {
		if f.Verification != Valid {
			t.Errorf("finding %d: %q, want valid", i, f.Verification)
		}
	}
}
