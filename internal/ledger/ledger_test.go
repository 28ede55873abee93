package ledger

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func TestObserveFirstSeenAndFileTime(t *testing.T) {
	l := New()
	if !l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "aaaa"}}, t0) {
		t.Fatal("a new credential is a change")
	}
	if l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "aaaa"}}, day(5)) {
		t.Error("seeing the same credential again changed the ledger")
	}
	if got := l.Entries["aaaa"].FirstSeen; !got.Equal(t0) {
		t.Errorf("first seen moved to %v", got)
	}
	// A file older than the first sighting is earlier evidence; a newer one is not.
	l.Observe([]Sighting{{Provider: "hf", Source: "file ~/t", Fingerprint: "aaaa", FileTime: day(-30)}}, day(6))
	l.Observe([]Sighting{{Provider: "hf", Source: "file ~/t", Fingerprint: "aaaa", FileTime: day(3)}}, day(7))
	since, prov := l.Entries["aaaa"].Since()
	if !since.Equal(day(-30)) || prov != FromFile {
		t.Errorf("Since = %v %s, want %v file", since, prov, day(-30))
	}
}

func TestObserveRotation(t *testing.T) {
	l := New()
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "old"}}, t0)
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "new"}}, day(100))
	old, cur := l.Entries["old"], l.Entries["new"]
	if !old.Retired() || old.ReplacedBy != "new" || len(old.Sources) != 0 {
		t.Errorf("old entry after rotation: %+v", old)
	}
	if cur.Replaces != "old" || !cur.FirstSeen.Equal(day(100)) {
		t.Errorf("new entry after rotation: %+v", cur)
	}
	// The old value comes back (another shell still has it): reinstated with its old date.
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "old"}}, day(101))
	if old.Retired() || !old.FirstSeen.Equal(t0) {
		t.Errorf("reinstated entry: %+v", old)
	}
	if !cur.Retired() {
		t.Errorf("the value it displaced should be retired: %+v", cur)
	}
}

func TestObserveRotationKeepsOtherSources(t *testing.T) {
	l := New()
	l.Observe([]Sighting{
		{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "x"},
		{Provider: "hf", Source: "file ~/token", Fingerprint: "x"},
	}, t0)
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "y"}}, day(1))
	x := l.Entries["x"]
	if x.Retired() || len(x.Sources) != 1 || x.Sources[0] != "file ~/token" {
		t.Errorf("x is still in the file, so it stays: %+v", x)
	}
	// Another provider's source of the same name is not a rotation.
	l.Observe([]Sighting{{Provider: "github", Source: "file ~/token", Fingerprint: "z"}}, day(2))
	if len(x.Sources) != 1 {
		t.Errorf("another provider took x's source: %+v", x)
	}
}

func TestRecordProviderDates(t *testing.T) {
	l := New()
	rep := Report{Sighting: Sighting{Provider: "modal", Source: "env MODAL_TOKEN_ID", Fingerprint: "m"},
		CreatedAt: day(-120), ExpiresAt: day(30)}
	if !l.Record([]Report{rep}, t0) {
		t.Fatal("Record reported no change")
	}
	e := l.Entries["m"]
	since, prov := e.Since()
	if !since.Equal(day(-120)) || prov != FromProvider || !e.ExpiresAt.Equal(day(30)) || !e.CheckedAt.Equal(t0) {
		t.Errorf("entry = %+v, since %v %s", e, since, prov)
	}
	// A rotation recorded by hand after the provider's date counts from the rotation.
	e.RotatedAt = day(-2)
	if since, prov := e.Since(); !since.Equal(day(-2)) || prov != FromRotation {
		t.Errorf("after rotated: %v %s", since, prov)
	}
}

func TestPrune(t *testing.T) {
	l := New()
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "a"}}, t0)
	l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "b"}}, day(1))
	l.Prune(day(300))
	if _, ok := l.Entries["a"]; !ok {
		t.Error("pruned a credential retired 299 days ago")
	}
	l.Prune(day(500))
	if _, ok := l.Entries["a"]; ok {
		t.Error("kept a credential retired 499 days ago")
	}
	if _, ok := l.Entries["b"]; !ok {
		t.Error("pruned the current credential")
	}
}

func TestAssess(t *testing.T) {
	p := Policy{Default: DefaultLimits, Providers: map[string]Limits{"github": {MaxAge: 30 * 24 * time.Hour, WarnBefore: 7 * 24 * time.Hour}}}
	for _, tc := range []struct {
		name  string
		e     Entry
		now   time.Time
		state State
		age   int
	}{
		{"fresh", Entry{Provider: "hf", FirstSeen: t0}, day(10), OK, 10},
		{"due soon", Entry{Provider: "hf", FirstSeen: t0}, day(77), DueSoon, 77},
		{"just before warning", Entry{Provider: "hf", FirstSeen: t0}, day(75), OK, 75},
		{"too old", Entry{Provider: "hf", FirstSeen: t0}, day(97), TooOld, 97},
		{"provider override", Entry{Provider: "github", FirstSeen: t0}, day(31), TooOld, 31},
		{"override warns earlier", Entry{Provider: "github", FirstSeen: t0}, day(24), DueSoon, 24},
		{"expiring", Entry{Provider: "github", FirstSeen: t0, ExpiresAt: day(13)}, day(10), Expiring, 10},
		{"expired beats age", Entry{Provider: "hf", FirstSeen: t0, ExpiresAt: day(96)}, day(97), Expired, 97},
		{"provider date", Entry{Provider: "hf", FirstSeen: day(50), CreatedAt: t0}, day(91), TooOld, 91},
		{"clock before first seen", Entry{Provider: "hf", FirstSeen: day(5)}, t0, OK, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := p.Assess(&tc.e, tc.now)
			if a.State != tc.state || Days(a.Age) != tc.age {
				t.Errorf("Assess = %s, %d days; want %s, %d days", a.State, Days(a.Age), tc.state, tc.age)
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	p := Policy{Ignore: []string{"openai", "GITHUB_TOKEN"}}
	if !p.Ignored("github", "GITHUB_TOKEN", "env GITHUB_TOKEN") || !p.Ignored("openai") {
		t.Error("ignored names not matched")
	}
	if p.Ignored("github", "GH_TOKEN", "", "env GH_TOKEN") {
		t.Error("GH_TOKEN is not ignored")
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90d": 90 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour,
		"1d12h": 36 * time.Hour, "0": 0, "1w2d": 9 * 24 * time.Hour, "30m": 30 * time.Minute,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "90", "d", "ninety days", "-3d", "3x"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", in)
		}
	}
}
