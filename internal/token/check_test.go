package token

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// checkOne runs one requirement against a fake of its provider and returns
// the result, the fake and the log hook.
func checkOne(t *testing.T, behaviour string, req Requirement, vars map[string]string) (Result, *tokentest.Server, *logtest.Hook) {
	t.Helper()
	s := startFake(t, req.Provider, behaviour)
	k, hook := newChecker(t, merge(vars, map[string]string{endpointVars[req.Provider]: s.URL}))
	if behaviour == "slow" {
		k.Timeout = 200 * time.Millisecond
	}
	results := k.Check(context.Background(), []Requirement{req})
	if len(results) != 1 {
		t.Fatalf("Check returned %d results, want 1", len(results))
	}
	return results[0], s, hook
}

func TestCheckStatuses(t *testing.T) {
	hfWith := func(tok string) map[string]string { return map[string]string{"HF_TOKEN": tok} }
	tests := []struct {
		name      string
		behaviour string
		req       Requirement
		vars      map[string]string // nil: validEnv(req.Provider)
		status    Status
		identity  string
		role      string
		reason    string // substring of Reason
		note      string // substring of one of the Notes
		kind      Kind   // the next step the command words ("": the engine's Hint)
	}{
		// Hugging Face
		{name: "hf ok", behaviour: "ok", req: Requirement{Provider: "hf"}, status: Valid, identity: hubtest.User, role: "write", note: "member of ml-team"},
		{name: "hf read token, read needed", behaviour: "ok", req: Requirement{Provider: "hf", Level: "read"}, vars: hfWith(hubtest.TokenRead), status: Valid, role: "read"},
		{name: "hf read token, write needed", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write"}, vars: hfWith(hubtest.TokenRead),
			status: Insufficient, role: "read", reason: "the token's role is read; the job needs write access"},
		{name: "hf fine-grained write", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write"}, vars: hfWith(hubtest.TokenFineGrainedWrite), status: Valid, role: "fineGrained"},
		{name: "hf fine-grained read, write needed", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write"}, vars: hfWith(hubtest.TokenFineGrainedRead),
			status: Insufficient, reason: "the job needs write access"},
		{name: "hf repo writable", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write", Repo: "ml-team/model", RepoType: "model"}, status: Valid},
		{name: "hf repo dataset writable", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write", Repo: "alice/data", RepoType: "dataset"}, vars: hfWith(hubtest.TokenFineGrainedWrite), status: Valid},
		{name: "hf repo of someone else", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write", Repo: "bob/model", RepoType: "model"},
			status: Insufficient, reason: "the token cannot write to model bob/model"},
		{name: "hf repo read-only token", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write", Repo: "alice/model", RepoType: "model"}, vars: hfWith(hubtest.TokenRead),
			status: Insufficient, reason: "cannot write to model alice/model"},
		{name: "hf repo missing", behaviour: "ok", req: Requirement{Provider: "hf", Level: "write", Repo: "alice/missing-x", RepoType: "space"},
			status: Insufficient, reason: "space alice/missing-x does not exist", kind: KindRepoNotFound},
		{name: "hf invalid", behaviour: "invalid", req: Requirement{Provider: "hf"}, status: Invalid, reason: "Hugging Face rejected the token (401)"},
		{name: "hf expired", behaviour: "expired", req: Requirement{Provider: "hf"}, status: Invalid, reason: "rejected"},
		{name: "hf unknown token", behaviour: "ok", req: Requirement{Provider: "hf"}, vars: hfWith(hfToken()), status: Invalid, reason: "rejected the token"},
		{name: "hf rate-limited", behaviour: "rate-limited", req: Requirement{Provider: "hf"}, status: Valid, identity: hubtest.User},
		{name: "hf flaky", behaviour: "flaky", req: Requirement{Provider: "hf"}, status: Valid, identity: hubtest.User},
		{name: "hf slow", behaviour: "slow", req: Requirement{Provider: "hf"}, status: Unknown, reason: "could not reach Hugging Face at http://127.0.0.1", kind: KindUnreachable},

		// Modal
		{name: "modal ok", behaviour: "ok", req: Requirement{Provider: "modal"}, status: Valid, identity: "alice@ml-team", role: "ci"},
		{name: "modal invalid", behaviour: "invalid", req: Requirement{Provider: "modal"}, status: Invalid, reason: "Modal rejected the token (UNAUTHENTICATED)"},
		{name: "modal wrong secret", behaviour: "ok", req: Requirement{Provider: "modal"},
			vars: map[string]string{"MODAL_TOKEN_ID": tokentest.ModalTokenID, "MODAL_TOKEN_SECRET": modalSecret()}, status: Invalid, reason: "UNAUTHENTICATED"},
		{name: "modal old server", behaviour: "old-server", req: Requirement{Provider: "modal"}, status: Valid, note: "only validity was checked"},
		{name: "modal flaky", behaviour: "flaky", req: Requirement{Provider: "modal"}, status: Valid, identity: "alice@ml-team"},
		{name: "modal unavailable", behaviour: "unavailable", req: Requirement{Provider: "modal"}, status: Unknown, reason: "could not reach Modal", kind: KindUnreachable},
		{name: "modal slow", behaviour: "slow", req: Requirement{Provider: "modal"}, status: Unknown, reason: "could not reach Modal", kind: KindUnreachable},

		// GitHub
		{name: "github classic", behaviour: "ok", req: Requirement{Provider: "github"}, status: Valid, role: "repo,workflow"},
		{name: "github classic with scope", behaviour: "ok", req: Requirement{Provider: "github", Level: "workflow"}, status: Valid, role: "repo,workflow"},
		{name: "github classic without scope", behaviour: "ok", req: Requirement{Provider: "github", Level: "admin:org"},
			status: Insufficient, reason: "the token lacks the admin:org scope (it has: repo,workflow)"},
		{name: "github fine-grained", behaviour: "ok", req: Requirement{Provider: "github", Level: "repo"}, vars: map[string]string{"GITHUB_TOKEN": tokentest.GitHubFineGrained},
			status: Valid, note: "scope repo not checked"},
		{name: "github invalid", behaviour: "invalid", req: Requirement{Provider: "github"}, status: Invalid, reason: "GitHub rejected the token (401 Bad credentials)"},
		{name: "github expired", behaviour: "expired", req: Requirement{Provider: "github"}, status: Invalid, reason: "Bad credentials"},
		{name: "github flaky", behaviour: "flaky", req: Requirement{Provider: "github"}, status: Valid},
		{name: "github slow", behaviour: "slow", req: Requirement{Provider: "github"}, status: Unknown, reason: "could not reach GitHub", kind: KindUnreachable},

		// W&B
		{name: "wandb ok", behaviour: "ok", req: Requirement{Provider: "wandb"}, status: Valid, identity: "alice"},
		{name: "wandb v1 key", behaviour: "ok", req: Requirement{Provider: "wandb"}, vars: map[string]string{"WANDB_API_KEY": tokentest.WandBKeyV1}, status: Valid, identity: "alice"},
		{name: "wandb invalid", behaviour: "invalid", req: Requirement{Provider: "wandb"}, status: Invalid, reason: "W&B rejected the API key"},
		{name: "wandb null viewer", behaviour: "null-viewer", req: Requirement{Provider: "wandb"}, status: Invalid, reason: "W&B rejected the API key"},
		{name: "wandb flaky", behaviour: "flaky", req: Requirement{Provider: "wandb"}, status: Valid, identity: "alice"},
		{name: "wandb slow", behaviour: "slow", req: Requirement{Provider: "wandb"}, status: Unknown, reason: "could not reach W&B", kind: KindUnreachable},

		// OpenAI
		{name: "openai ok", behaviour: "ok", req: Requirement{Provider: "openai"}, status: Valid},
		{name: "openai invalid", behaviour: "invalid", req: Requirement{Provider: "openai"}, status: Invalid, reason: "OpenAI rejected the key (401)"},
		{name: "openai unknown key", behaviour: "ok", req: Requirement{Provider: "openai"}, vars: map[string]string{"OPENAI_API_KEY": openaiKey()}, status: Invalid, reason: "OpenAI rejected the key"},
		{name: "openai flaky", behaviour: "flaky", req: Requirement{Provider: "openai"}, status: Valid},
		{name: "openai slow", behaviour: "slow", req: Requirement{Provider: "openai"}, status: Unknown, reason: "could not reach OpenAI", kind: KindUnreachable},

		// Anthropic
		{name: "anthropic ok", behaviour: "ok", req: Requirement{Provider: "anthropic"}, status: Valid},
		{name: "anthropic invalid", behaviour: "invalid", req: Requirement{Provider: "anthropic"}, status: Invalid, reason: "Anthropic rejected the key (401)"},
		{name: "anthropic flaky", behaviour: "flaky", req: Requirement{Provider: "anthropic"}, status: Valid},
		{name: "anthropic slow", behaviour: "slow", req: Requirement{Provider: "anthropic"}, status: Unknown, reason: "could not reach Anthropic", kind: KindUnreachable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := tc.vars
			if vars == nil {
				vars = validEnv(tc.req.Provider)
			}
			r, s, hook := checkOne(t, tc.behaviour, tc.req, vars)
			if r.Status != tc.status {
				t.Fatalf("Status = %s (%s), want %s", r.Status, r.Reason, tc.status)
			}
			if s.Requests() == 0 {
				t.Error("the fake got no request")
			}
			if r.Provider != tc.req.Provider || r.Requirement != tc.req.String() || !r.Required {
				t.Errorf("Provider, Requirement, Required = %q, %q, %v", r.Provider, r.Requirement, r.Required)
			}
			if !strings.HasPrefix(r.Endpoint, strings.TrimSuffix(s.URL, "/v1")) {
				t.Errorf("Endpoint = %q, want the fake's %q", r.Endpoint, s.URL)
			}
			if tc.identity != "" && r.Identity != tc.identity {
				t.Errorf("Identity = %q, want %q", r.Identity, tc.identity)
			}
			if tc.role != "" && r.Role != tc.role {
				t.Errorf("Role = %q, want %q", r.Role, tc.role)
			}
			if tc.status == Valid {
				if r.Reason != "" || r.Hint != "" {
					t.Errorf("a valid result has Reason %q, Hint %q", r.Reason, r.Hint)
				}
			} else {
				if !strings.Contains(r.Reason, tc.reason) {
					t.Errorf("Reason = %q, want it to contain %q", r.Reason, tc.reason)
				}
				if r.Kind != tc.kind {
					t.Errorf("Kind = %q, want %q", r.Kind, tc.kind)
				}
				// The next step is the engine's Hint or, for a Kind, the command's: never both, never neither.
				if (r.Hint == "") == (r.Kind == "") {
					t.Errorf("a failed result has Hint %q and Kind %q", r.Hint, r.Kind)
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(r.Notes, "\n"), tc.note) {
				t.Errorf("Notes = %q, want one containing %q", r.Notes, tc.note)
			}
			var first Credential
			for _, c := range Providers() {
				if c.Name() == tc.req.Provider {
					first = c.Discover(mapEnv(t, vars))[0]
				}
			}
			if r.Masked != first.Masked() || r.Fingerprint != first.Fingerprint() || r.Source != first.Source {
				t.Errorf("Masked, Fingerprint, Source = %q, %q, %q; want %q, %q, %q",
					r.Masked, r.Fingerprint, r.Source, first.Masked(), first.Fingerprint(), first.Source)
			}
			assertAudit(t, hook, r)
		})
	}
}

// assertAudit checks the audit entry of a result and that no entry shows a value.
func assertAudit(t *testing.T, hook *logtest.Hook, results ...Result) {
	t.Helper()
	entries := hook.AllEntries()
	for _, r := range results {
		var found bool
		for _, e := range entries {
			if e.Data["event"] != "check" || e.Data["provider"] != r.Provider {
				continue
			}
			found = true
			want := logrus.Fields{"event": "check", "provider": r.Provider, "source": r.Source, "status": string(r.Status),
				"fingerprint": r.Fingerprint, "masked": r.Masked, "cached": r.Cached}
			for k, v := range want {
				if e.Data[k] != v {
					t.Errorf("audit entry field %s = %v, want %v", k, e.Data[k], v)
				}
			}
			if e.Level != logrus.InfoLevel {
				t.Errorf("audit entry at level %s", e.Level)
			}
		}
		if !found {
			t.Errorf("no audit entry for %s among %d entries", r.Provider, len(entries))
		}
	}
	for _, e := range entries {
		text := e.Message + fmt.Sprint(e.Data)
		for _, v := range allValues() {
			if strings.Contains(text, v) {
				t.Errorf("log entry %q shows a credential value", text)
			}
		}
	}
}

// TestCheckRetriesLogged checks that a retry is logged with fields, and without the value.
func TestCheckRetriesLogged(t *testing.T) {
	r, s, hook := checkOne(t, "flaky", Requirement{Provider: "hf"}, validEnv("hf"))
	if r.Status != Valid || s.Requests() != 3 {
		t.Fatalf("Status = %s after %d requests, want valid after 3", r.Status, s.Requests())
	}
	var retries int
	for _, e := range hook.AllEntries() {
		if e.Data["event"] == "retry" {
			retries++
			if e.Data["provider"] != "hf" || e.Data["http_status"] != 503 || e.Data["attempt"] != retries {
				t.Errorf("retry entry fields = %v", e.Data)
			}
		}
	}
	if retries != 2 {
		t.Errorf("%d retry entries, want 2", retries)
	}
	assertAudit(t, hook, r)
}

func TestCheckMissing(t *testing.T) {
	for _, p := range Providers() {
		k, hook := newChecker(t, nil)
		results := k.Check(context.Background(), []Requirement{{Provider: p.Name()}})
		r := results[0]
		if r.Status != Missing || !r.Required || r.Hint != p.MissingHint() || r.Reason != "no "+p.Title()+" credential found" {
			t.Errorf("%s: %+v", p.Name(), r)
		}
		assertAudit(t, hook, r)
	}
}

// TestCheckWithoutRequirements checks every provider; a missing one is only informational.
func TestCheckWithoutRequirements(t *testing.T) {
	s := startFake(t, "github", "ok")
	k, hook := newChecker(t, merge(validEnv("github"), map[string]string{"GITHUB_API_URL": s.URL}))
	results := k.Check(context.Background(), nil)
	if len(results) != len(Providers()) {
		t.Fatalf("%d results, want one per provider", len(results))
	}
	for i, p := range Providers() {
		r := results[i]
		if r.Provider != p.Name() {
			t.Errorf("result %d is %s, want %s", i, r.Provider, p.Name())
		}
		switch {
		case p.Name() == "github":
			if r.Status != Valid || !r.Required {
				t.Errorf("github: %s, required %v", r.Status, r.Required)
			}
		case r.Status != Missing || r.Required:
			t.Errorf("%s: %s, required %v; want missing, not required", r.Provider, r.Status, r.Required)
		}
	}
	assertAudit(t, hook, results...)
}

// TestCheckFormatFirst checks that a value the format check rejects is never sent.
func TestCheckFormatFirst(t *testing.T) {
	r, s, hook := checkOne(t, "ok", Requirement{Provider: "hf"}, map[string]string{"HF_TOKEN": `"` + hubtest.TokenWrite + `"`})
	if r.Status != Invalid || !strings.Contains(r.Reason, "has quotes around the value") || r.Hint == "" {
		t.Errorf("result = %s: %s (%s)", r.Status, r.Reason, r.Hint)
	}
	if n := s.Requests(); n != 0 {
		t.Errorf("the fake got %d requests for a malformed token", n)
	}
	assertAudit(t, hook, r)

	// A non-fatal problem is a note and the live check still runs.
	r, s, _ = checkOne(t, "ok", Requirement{Provider: "openai"}, map[string]string{"OPENAI_API_KEY": "sk-proj-" + alnum(40)})
	if r.Status != Invalid || s.Requests() != 1 || !strings.Contains(strings.Join(r.Notes, " "), "lacks the marker") {
		t.Errorf("result = %s after %d requests, notes %q", r.Status, s.Requests(), r.Notes)
	}
}

func TestCheckOffline(t *testing.T) {
	s := startFake(t, "hf", "ok")
	k, _ := newChecker(t, map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_ENDPOINT": s.URL, "GH_TOKEN": "ghp_" + alnum(36)})
	k.Offline = true
	results := k.Check(context.Background(), []Requirement{{Provider: "hf"}, {Provider: "github"}})
	if r := results[0]; r.Status != WellFormed || r.Reason != "" || r.Hint != "" {
		t.Errorf("hf offline: %s: %s (%s)", r.Status, r.Reason, r.Hint)
	}
	if r := results[1]; r.Status != Invalid || !strings.Contains(r.Reason, "checksum") {
		t.Errorf("github offline: %s: %s", r.Status, r.Reason)
	}
	if s.Requests() != 0 {
		t.Errorf("an offline check made %d requests", s.Requests())
	}
}

// TestCheckDisagreeingSources notes a second source holding another credential.
func TestCheckDisagreeingSources(t *testing.T) {
	s := startFake(t, "hf", "ok")
	k, _ := newChecker(t, map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_ENDPOINT": s.URL})
	writeFile(t, HF{}.TokenFile(k.Env), hubtest.TokenRead+"\n")
	r := k.Check(context.Background(), []Requirement{{Provider: "hf", Level: "write"}})[0]
	masked := Credential{Value: hubtest.TokenRead}.Masked()
	want := "env HF_TOKEN is used; file ~/.cache/huggingface/token holds a different credential (" + masked + ") that is ignored"
	if r.Status != Valid || !containsNote(r.Notes, want) {
		t.Errorf("result %s, notes %q; want the note %q", r.Status, r.Notes, want)
	}

	// The same token in both places is no disagreement.
	writeFile(t, HF{}.TokenFile(k.Env), hubtest.TokenWrite+"\n")
	r = k.Check(context.Background(), []Requirement{{Provider: "hf"}})[0]
	for _, n := range r.Notes {
		if strings.Contains(n, "different credential") {
			t.Errorf("note %q for identical tokens", n)
		}
	}

	// Modal: env pair against the profile.
	m := startFake(t, "modal", "ok")
	k, _ = newChecker(t, merge(validEnv("modal"), map[string]string{"MODAL_SERVER_URL": m.URL}))
	writeFile(t, Modal{}.ConfigFile(k.Env), "[default]\ntoken_id = \""+modalID()+"\"\ntoken_secret = \""+modalSecret()+"\"\n")
	r = k.Check(context.Background(), []Requirement{{Provider: "modal"}})[0]
	if r.Status != Valid || !containsNote(r.Notes, `env MODAL_TOKEN_ID is used; ~/.modal.toml profile "default" holds a different credential`) {
		t.Errorf("modal: %s, notes %q", r.Status, r.Notes)
	}
}

func containsNote(notes []string, want string) bool {
	for _, n := range notes {
		if strings.Contains(n, want) {
			return true
		}
	}
	return false
}

func TestCheckExpiry(t *testing.T) {
	tests := []struct {
		name      string
		provider  string
		behaviour string
		vars      map[string]string
		validFor  time.Duration
		later     time.Duration // how far Now is ahead of the real clock
		status    Status
		text      string // in Reason, or in Notes when valid
	}{
		{name: "hf expiring, no window", provider: "hf", behaviour: "expiring", status: Valid, text: "expires in 1h59m"},
		{name: "hf expiring within window", provider: "hf", behaviour: "expiring", validFor: 6 * time.Hour, status: Expired,
			text: "the token expires in 1h59m"},
		{name: "hf expiring after window", provider: "hf", behaviour: "expiring", validFor: time.Hour, status: Valid, text: "expires in 1h59m"},
		{name: "hf expired meanwhile", provider: "hf", behaviour: "expiring", later: 3 * time.Hour, status: Expired, text: "the token expired on"},
		{name: "modal expired", provider: "modal", behaviour: "expired", status: Expired, text: "the token expired on"},
		{name: "modal expiring within window", provider: "modal", behaviour: "expiring", validFor: 3 * time.Hour, status: Expired, text: "the token expires in 1h"},
		{name: "github expiring within window", provider: "github", behaviour: "expiring", validFor: 6 * time.Hour, status: Expired, text: "expires in 1h"},
		{name: "github fine-grained far off", provider: "github", behaviour: "ok", vars: map[string]string{"GH_TOKEN": tokentest.GitHubFineGrained},
			validFor: 6 * time.Hour, status: Valid},
		{name: "github fine-grained within a week", provider: "github", behaviour: "ok", vars: map[string]string{"GH_TOKEN": tokentest.GitHubFineGrained},
			later: 55 * 24 * time.Hour, status: Valid, text: "expires in 4 days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := tc.vars
			if vars == nil {
				vars = validEnv(tc.provider)
			}
			s := startFake(t, tc.provider, tc.behaviour)
			k, _ := newChecker(t, merge(vars, map[string]string{endpointVars[tc.provider]: s.URL}))
			k.ValidFor = tc.validFor
			k.Now = func() time.Time { return time.Now().Add(tc.later) }
			r := k.Check(context.Background(), []Requirement{{Provider: tc.provider}})[0]
			if r.Status != tc.status {
				t.Fatalf("Status = %s (%s), want %s", r.Status, r.Reason, tc.status)
			}
			if r.ExpiresAt.IsZero() {
				t.Fatal("no expiry was read")
			}
			if tc.status == Valid {
				notes := strings.Join(r.Notes, "\n")
				if tc.text == "" && strings.Contains(notes, "expires in") {
					t.Errorf("note %q for an expiry far off", notes)
				}
				if !strings.Contains(notes, tc.text) {
					t.Errorf("Notes = %q, want %q", notes, tc.text)
				}
				return
			}
			if !strings.Contains(r.Reason, tc.text) {
				t.Errorf("Reason = %q, want it to contain %q", r.Reason, tc.text)
			}
			// Expired within the window: the command words the next step, with the window.
			inWindow := tc.validFor > 0 && tc.later == 0
			if inWindow && (r.Kind != KindExpiresInWindow || r.ValidFor != tc.validFor || r.Hint != "") {
				t.Errorf("Kind, ValidFor, Hint = %q, %s, %q; want %q, %s and no hint", r.Kind, r.ValidFor, r.Hint, KindExpiresInWindow, tc.validFor)
			}
			if !inWindow && (r.Kind != "" || r.Hint == "") {
				t.Errorf("Kind, Hint = %q, %q; want the engine's hint", r.Kind, r.Hint)
			}
		})
	}
}

// TestCheckParallel checks the providers at the same time, without timing
// anything: every fake holds its answer (slow), and once all six hold a
// request the context is cancelled. In parallel every check is still
// waiting then, so all six end unknown; one after another, the first would
// have had its answer (valid) long before the last one asked. The speed
// itself is measured by BenchmarkParallelRatio.
func TestCheckParallel(t *testing.T) {
	vars := map[string]string{}
	var reqs []Requirement
	var fakes []*tokentest.Server
	for _, p := range Providers() {
		s := startFake(t, p.Name(), "slow")
		fakes = append(fakes, s)
		vars = merge(vars, validEnv(p.Name()), map[string]string{endpointVars[p.Name()]: s.URL})
		reqs = append(reqs, Requirement{Provider: p.Name()})
	}
	k, _ := newChecker(t, vars)
	k.Timeout = 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for slices.ContainsFunc(fakes, func(s *tokentest.Server) bool { return s.Requests() == 0 }) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	for _, r := range k.Check(ctx, reqs) {
		if r.Status != Unknown {
			t.Errorf("%s was %s before every check had started: they ran one after another", r.Provider, r.Status)
		}
	}
}

// TestCheckZeroTimeout checks that a Checker without a Timeout has no
// deadline rather than one that has already passed.
func TestCheckZeroTimeout(t *testing.T) {
	s := startFake(t, "github", "ok")
	k, _ := newChecker(t, merge(validEnv("github"), map[string]string{"GITHUB_API_URL": s.URL}))
	k.Timeout = 0
	if r := k.Check(context.Background(), []Requirement{{Provider: "github"}})[0]; r.Status != Valid {
		t.Errorf("Status = %s (%s), want valid", r.Status, r.Reason)
	}
}

// TestCheckCancelled checks that a cancelled context ends a slow check:
// with no Timeout of the Checker's own, a check that ignored the context
// would wait for the slow fake's answer and report valid.
func TestCheckCancelled(t *testing.T) {
	s := startFake(t, "wandb", "slow")
	k, _ := newChecker(t, merge(validEnv("wandb"), map[string]string{"WANDB_BASE_URL": s.URL}))
	k.Timeout = 0
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if r := k.Check(ctx, []Requirement{{Provider: "wandb"}})[0]; r.Status != Unknown {
		t.Errorf("Status = %s (%s), want unknown after the cancel", r.Status, r.Reason)
	}
}

// A token file that cannot be used is reported as unreadable, naming the
// file, and never as missing; behind a token that is used, it is a note.
func TestCheckUnreadableTokenFile(t *testing.T) {
	s := startFake(t, "hf", "ok")
	dir := t.TempDir()
	k, _ := newChecker(t, map[string]string{"HF_TOKEN_PATH": dir, "HF_ENDPOINT": s.URL})
	r := k.Check(context.Background(), nil)[0]
	if r.Status != Unreadable || !r.Required || !strings.Contains(r.Reason, "it is a directory, not a regular file") || r.Hint == "" {
		t.Errorf("directory as token file: %+v", r)
	}
	if !r.Status.Incomplete() || r.Status.Good() {
		t.Errorf("%s: Incomplete %v, Good %v", r.Status, r.Status.Incomplete(), r.Status.Good())
	}
	k, _ = newChecker(t, map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_TOKEN_PATH": dir, "HF_ENDPOINT": s.URL})
	r = k.Check(context.Background(), []Requirement{{Provider: "hf"}})[0]
	if r.Status != Valid || !strings.Contains(strings.Join(r.Notes, " "), "is a directory") {
		t.Errorf("HF_TOKEN before a directory: %s, notes %q", r.Status, r.Notes)
	}
	if s.Requests() != 1 {
		t.Errorf("%d requests, want 1 (the unreadable file alone is never sent anywhere)", s.Requests())
	}
}
