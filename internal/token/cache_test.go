package token

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
)

// cachedChecker is a Checker against a fake Hub with a cache in a fresh state directory.
func cachedChecker(t *testing.T, hubURL string) (*Checker, string) {
	t.Helper()
	k, _ := newChecker(t, map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_ENDPOINT": hubURL})
	path := filepath.Join(t.TempDir(), "state", "tokenguard", "cache.json")
	k.Cache = OpenCache(path, 10*time.Minute)
	return k, path
}

func checkHF(t *testing.T, k *Checker, req Requirement) Result {
	t.Helper()
	r := k.Check(context.Background(), []Requirement{req})[0]
	if r.Status != Valid {
		t.Fatalf("Status = %s (%s), want valid", r.Status, r.Reason)
	}
	return r
}

func TestCacheHit(t *testing.T) {
	s := startFake(t, "hf", "ok")
	k, path := cachedChecker(t, s.URL)
	first := checkHF(t, k, Requirement{Provider: "hf"})
	if first.Cached || s.Requests() != 1 {
		t.Fatalf("first check: cached %v, %d requests", first.Cached, s.Requests())
	}

	second := checkHF(t, k, Requirement{Provider: "hf"})
	if !second.Cached || s.Requests() != 1 {
		t.Errorf("second check: cached %v, %d requests; want a hit and no request", second.Cached, s.Requests())
	}
	if second.Identity != first.Identity || second.Role != first.Role || !second.CreatedAt.Equal(first.CreatedAt) ||
		second.Masked != first.Masked || second.Source != first.Source {
		t.Errorf("cached result %+v differs from the live one %+v", second, first)
	}

	// A new process reads the file.
	k2, hook := newChecker(t, map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_ENDPOINT": s.URL})
	k2.Cache = OpenCache(path, 10*time.Minute)
	third := checkHF(t, k2, Requirement{Provider: "hf"})
	if !third.Cached || s.Requests() != 1 {
		t.Errorf("check from the saved file: cached %v, %d requests", third.Cached, s.Requests())
	}
	assertAudit(t, hook, third)

	// The file is private and holds no value.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("cache file mode %v, want 0600", perm)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("cache directory mode %v, want 0700", perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range allValues() {
		if strings.Contains(string(data), v) {
			t.Errorf("the cache file holds a credential value: %s", data)
		}
	}
	if !strings.Contains(string(data), first.Fingerprint) {
		t.Errorf("the cache file is not keyed by fingerprint: %s", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the state directory holds %d files, want only the cache (no temporary files left)", len(entries))
	}
}

func TestCacheMisses(t *testing.T) {
	t.Run("other endpoint", func(t *testing.T) {
		a, b := startFake(t, "hf", "ok"), startFake(t, "hf", "ok")
		k, _ := cachedChecker(t, a.URL)
		checkHF(t, k, Requirement{Provider: "hf"})
		env := map[string]string{"HF_TOKEN": hubtest.TokenWrite, "HF_ENDPOINT": b.URL + "/"}
		k.Env.Getenv = func(n string) string { return env[n] }
		if r := checkHF(t, k, Requirement{Provider: "hf"}); r.Cached || b.Requests() != 1 {
			t.Errorf("another endpoint: cached %v, %d requests there", r.Cached, b.Requests())
		}
		// The trailing slash does not make a third endpoint.
		env["HF_ENDPOINT"] = b.URL
		if r := checkHF(t, k, Requirement{Provider: "hf"}); !r.Cached || b.Requests() != 1 {
			t.Errorf("same endpoint without slash: cached %v, %d requests", r.Cached, b.Requests())
		}
	})
	t.Run("other token", func(t *testing.T) {
		s := startFake(t, "hf", "ok")
		k, _ := cachedChecker(t, s.URL)
		checkHF(t, k, Requirement{Provider: "hf"})
		k.Env.Getenv = func(n string) string {
			return map[string]string{"HF_TOKEN": hubtest.TokenFineGrainedWrite, "HF_ENDPOINT": s.URL}[n]
		}
		if r := checkHF(t, k, Requirement{Provider: "hf"}); r.Cached || s.Requests() != 2 {
			t.Errorf("another token: cached %v, %d requests", r.Cached, s.Requests())
		}
	})
	t.Run("other requirement", func(t *testing.T) {
		s := startFake(t, "hf", "ok")
		k, _ := cachedChecker(t, s.URL)
		checkHF(t, k, Requirement{Provider: "hf"})
		checkHF(t, k, Requirement{Provider: "hf", Level: "write"})
		checkHF(t, k, Requirement{Provider: "hf", Level: "write", Repo: "alice/a", RepoType: "model"})
		checkHF(t, k, Requirement{Provider: "hf", Level: "write", Repo: "alice/a", RepoType: "dataset"})
		if n := s.Requests(); n != 1+1+2+2 {
			t.Errorf("%d requests, want every different requirement checked live", n)
		}
	})
	t.Run("stale", func(t *testing.T) {
		s := startFake(t, "hf", "ok")
		k, path := cachedChecker(t, s.URL)
		checkHF(t, k, Requirement{Provider: "hf"})
		k.Now = func() time.Time { return time.Now().Add(10*time.Minute + time.Second) }
		if r := checkHF(t, k, Requirement{Provider: "hf"}); r.Cached || s.Requests() != 2 {
			t.Errorf("after the TTL: cached %v, %d requests", r.Cached, s.Requests())
		}
		// Just inside the TTL is still a hit; a clock that went backwards is not.
		k.Now = func() time.Time { return time.Now().Add(19 * time.Minute) }
		if r := checkHF(t, k, Requirement{Provider: "hf"}); !r.Cached {
			t.Error("within the TTL of the refreshed entry: miss")
		}
		k.Cache = OpenCache(path, 10*time.Minute)
		k.Now = func() time.Time { return time.Now().Add(-time.Hour) }
		if r := checkHF(t, k, Requirement{Provider: "hf"}); r.Cached || s.Requests() != 3 {
			t.Errorf("entry from the future: cached %v, %d requests", r.Cached, s.Requests())
		}
	})
	t.Run("failures are not cached", func(t *testing.T) {
		s := startFake(t, "hf", "invalid")
		k, path := cachedChecker(t, s.URL)
		for range 2 {
			if r := k.Check(context.Background(), []Requirement{{Provider: "hf"}})[0]; r.Status != Invalid || r.Cached {
				t.Errorf("Status %s, cached %v", r.Status, r.Cached)
			}
		}
		if s.Requests() != 2 {
			t.Errorf("%d requests, want 2", s.Requests())
		}
		if _, err := os.Stat(path); err == nil {
			t.Error("a cache file was written with nothing to remember")
		}
	})
}

// TestCacheExpiryRejudged checks that a cached verdict is judged again
// against the expiry: a hit does not outlive the token.
func TestCacheExpiryRejudged(t *testing.T) {
	s := startFake(t, "hf", "expiring")
	k, _ := cachedChecker(t, s.URL)
	checkHF(t, k, Requirement{Provider: "hf"})
	k.ValidFor = 6 * time.Hour
	r := k.Check(context.Background(), []Requirement{{Provider: "hf"}})[0]
	if !r.Cached || r.Status != Expired {
		t.Errorf("cached %v, status %s; want a cached verdict judged expired for --valid-for 6h", r.Cached, r.Status)
	}
}

func TestCacheCorruptFile(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":   "{not json",
		"null":      "null",
		"array":     "[1, 2]",
		"wrong map": `{"k": 5}`,
		"empty":     "",
	} {
		t.Run(name, func(t *testing.T) {
			s := startFake(t, "hf", "ok")
			k, path := cachedChecker(t, s.URL)
			writeFile(t, path, content)
			k.Cache = OpenCache(path, 10*time.Minute)
			if r := checkHF(t, k, Requirement{Provider: "hf"}); r.Cached || s.Requests() != 1 {
				t.Errorf("cached %v, %d requests", r.Cached, s.Requests())
			}
			if r := checkHF(t, k, Requirement{Provider: "hf"}); !r.Cached || s.Requests() != 1 {
				t.Errorf("after rewriting the cache: cached %v, %d requests", r.Cached, s.Requests())
			}
			if c := OpenCache(path, 10*time.Minute); len(c.entries) != 1 {
				t.Errorf("the rewritten cache holds %d entries, want 1", len(c.entries))
			}
		})
	}
}

func TestCacheSaveDropsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	c := OpenCache(path, time.Minute)
	now := time.Now()
	c.Put("old", Result{Status: Valid}, now.Add(-2*time.Minute))
	c.Put("new", Result{Status: Valid}, now)
	if err := c.Save(now); err != nil {
		t.Fatal(err)
	}
	c = OpenCache(path, time.Minute)
	if _, ok := c.Get("old", now); ok {
		t.Error("a stale entry survived Save")
	}
	if _, ok := c.Get("new", now); !ok {
		t.Error("a fresh entry was lost")
	}
}

func TestCacheSaveError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	writeFile(t, blocker, "")
	c := OpenCache(filepath.Join(blocker, "cache.json"), time.Minute)
	c.Put("k", Result{Status: Valid}, time.Now())
	if err := c.Save(time.Now()); err == nil || !strings.Contains(err.Error(), "failed to") {
		t.Errorf("Save under a regular file: %v, want a failed-to error", err)
	}
}
