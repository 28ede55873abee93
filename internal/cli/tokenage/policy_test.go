package tokenage

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPolicyLayers(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, "config", "tokenguard", "config.toml"), `
[tokenage]
max_age = "60d"
remind_every = "1d"
ignore = ["openai"]
[tokenage.providers.github]
warn_before = "3d"
`)
	repo := filepath.Join(home, "repo")
	write(filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(filepath.Join(repo, ".tokenguard.toml"), `
[tokenage]
max_age = "45d"
ignore = ["GITHUB_TOKEN"]
`)
	t.Chdir(repo)
	b := &Books{getenv: os.Getenv, readers: Small}
	s, err := PolicyFlags{}.load(b)
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	if got := s.policy.Default; got.MaxAge != 45*day || got.WarnBefore != 14*day {
		t.Errorf("default limits %+v, want the repository's 45d and the default 14d", got)
	}
	// The GitHub override was given in the user's file, before the repository
	// changed max_age: it overrides warn_before only, and inherits the rest.
	if got := s.policy.LimitsFor("github"); got.MaxAge != 45*day || got.WarnBefore != 3*day {
		t.Errorf("github limits %+v, want 45d and 3d", got)
	}
	if s.remindEvery != day || !s.policy.Ignored("openai") || !s.policy.Ignored("GITHUB_TOKEN") {
		t.Errorf("settings %+v", s)
	}
	var f PolicyFlags
	f.MaxAge = Age{d: 10 * day, set: true}
	s, _ = f.load(b)
	if s.policy.LimitsFor("github").MaxAge != 10*day || s.policy.LimitsFor("hf").MaxAge != 10*day {
		t.Errorf("--max-age does not override every provider: %+v", s.policy)
	}
}

func TestSpan(t *testing.T) {
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{
		10*day - time.Minute: "10 days", 10 * day: "10 days", 10*day + time.Minute: "11 days",
		day: "1 day", 5 * time.Hour: "5 hours", 90 * time.Minute: "less than 2 hours",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}
