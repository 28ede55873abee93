package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestUpdateWritesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "tokenguard")
	s := Open(filepath.Join(dir, FileName))
	_, err := s.Update(func(l *Ledger) bool {
		return l.Observe([]Sighting{{Provider: "hf", Source: "env HF_TOKEN", Fingerprint: "0123456789abcdef"}}, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("ledger mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("state directory mode %v, want 0700", di.Mode().Perm())
	}
	l, err := s.Load()
	if err != nil || l.Entries["0123456789abcdef"] == nil {
		t.Fatalf("Load = %+v, %v", l, err)
	}
	// No change, no write.
	before, _ := os.Stat(s.Path)
	time.Sleep(10 * time.Millisecond) // only to make a rewrite visible in the mtime
	if _, err := s.Update(func(*Ledger) bool { return false }); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(s.Path); !after.ModTime().Equal(before.ModTime()) {
		t.Error("an unchanged ledger was rewritten")
	}
}

// A file that cannot be used at all is moved aside, never deleted, and a
// new ledger is started.
func TestUnusableFileIsMovedAside(t *testing.T) {
	for name, content := range map[string]string{
		"half written": `{"version":1,"credentials":{"ab`,
		"not json":     "garbage",
		"no version":   `{"credentials":{}}`,
		"not a table":  `{"version":1,"credentials":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := Open(filepath.Join(t.TempDir(), FileName))
			if err := os.WriteFile(s.Path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load()
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) || corrupt.Dropped != 0 {
				t.Fatalf("Load error = %v, want a CorruptError for the whole file", err)
			}
			l, err := s.Update(func(l *Ledger) bool { return false })
			if !errors.As(err, &corrupt) || l == nil || corrupt.Aside == "" {
				t.Fatalf("Update = %v, %v; want a new ledger and a CorruptError naming the copy", l, err)
			}
			if kept, err := os.ReadFile(corrupt.Aside); err != nil || string(kept) != content {
				t.Errorf("the copy %s holds %q (%v), want the original", corrupt.Aside, kept, err)
			}
			if filepath.Dir(corrupt.Aside) != filepath.Dir(s.Path) || !strings.HasPrefix(filepath.Base(corrupt.Aside), FileName+".corrupt-") {
				t.Errorf("copy at %s, want %s.corrupt-<time> beside it", corrupt.Aside, FileName)
			}
			if !strings.Contains(err.Error(), s.Path) || !strings.Contains(err.Error(), corrupt.Aside) {
				t.Errorf("the warning does not name both files: %v", err)
			}
			if _, err := s.Load(); err != nil {
				t.Errorf("after the rebuild: %v", err)
			}
		})
	}
}

// One malformed entry costs only itself: every valid entry keeps its dates.
func TestMalformedEntryKeepsTheOthers(t *testing.T) {
	s := Open(filepath.Join(t.TempDir(), FileName))
	content := `{"version":1,"credentials":{
	  "aaaaaaaaaaaaaaaa": {"provider":"hf","sources":["env HF_TOKEN"],"first_seen":"2025-01-02T03:04:05Z"},
	  "bbbbbbbbbbbbbbbb": {"provider":"github","first_seen":"yesterday"},
	  "cccccccccccccccc": null,
	  "dddddddddddddddd": {"provider":"modal","first_seen":"2025-06-01T00:00:00Z","created_at":"2025-05-30T00:00:00Z"},
	  "eeeeeeeeeeeeeeee": {"sources":["env X"]}
	}}`
	if err := os.WriteFile(s.Path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := s.Update(func(l *Ledger) bool {
		return l.Observe([]Sighting{{Provider: "openai", Source: "env OPENAI_API_KEY", Fingerprint: "ffffffffffffffff"}}, t0)
	})
	var corrupt *CorruptError
	if !errors.As(err, &corrupt) || corrupt.Dropped != 3 || corrupt.Kept != 2 {
		t.Fatalf("Update error = %v, want 3 dropped and 2 kept", err)
	}
	if kept, _ := os.ReadFile(corrupt.Aside); string(kept) != content {
		t.Errorf("the original was not kept at %s", corrupt.Aside)
	}
	reread, rerr := s.Load()
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, got := range []*Ledger{l, reread} {
		hf, modal := got.Entries["aaaaaaaaaaaaaaaa"], got.Entries["dddddddddddddddd"]
		if hf == nil || !hf.FirstSeen.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) || modal == nil ||
			!modal.CreatedAt.Equal(time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC)) || got.Entries["ffffffffffffffff"] == nil {
			t.Errorf("valid entries lost their dates: %+v", got.Entries)
		}
		if len(got.Entries) != 3 {
			t.Errorf("%d entries, want the 2 valid ones and the new one", len(got.Entries))
		}
	}
	want := "had 3 malformed entries"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "left out; the 2 valid entries were kept with their dates; the original was moved to "+corrupt.Aside) {
		t.Errorf("message %q", err)
	}
}

// A ledger path that is a named pipe is set aside like garbage, without blocking.
func TestPipeInsteadOfLedger(t *testing.T) {
	s := Open(filepath.Join(t.TempDir(), FileName))
	if err := syscall.Mkfifo(s.Path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := s.Update(func(l *Ledger) bool { return false })
	var corrupt *CorruptError
	if !errors.As(err, &corrupt) || !strings.Contains(err.Error(), "named pipe") {
		t.Fatalf("Update = %v", err)
	}
	if fi, err := os.Lstat(corrupt.Aside); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was not kept at %s: %v", corrupt.Aside, err)
	}
}

// Two unusable files in the same second get copies of their own.
func TestMoveAsideNeverOverwrites(t *testing.T) {
	s := Open(filepath.Join(t.TempDir(), FileName))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var asides []string
	for _, content := range []string{"one", "two"} {
		if err := os.WriteFile(s.Path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		aside, err := s.moveAside(now)
		if err != nil {
			t.Fatal(err)
		}
		asides = append(asides, aside)
	}
	if asides[0] == asides[1] || filepath.Base(asides[0]) != FileName+".corrupt-20260101T000000Z" {
		t.Errorf("copies %v", asides)
	}
	for i, want := range []string{"one", "two"} {
		if got, _ := os.ReadFile(asides[i]); string(got) != want {
			t.Errorf("%s holds %q, want %q", asides[i], got, want)
		}
	}
}

// Twenty writers at once, each adding its own credential: the file stays
// valid and nobody's entry is lost.
func TestConcurrentUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			s := Open(path)
			_, err := s.Update(func(l *Ledger) bool {
				return l.Observe([]Sighting{{Provider: "hf", Source: fmt.Sprintf("env V%d", i), Fingerprint: fmt.Sprintf("fp%02d", i)}}, t0)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var l Ledger
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatalf("ledger is not valid JSON after concurrent writes: %v", err)
	}
	if len(l.Entries) != 20 {
		t.Errorf("%d entries, want 20", len(l.Entries))
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".ledger.json.*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestBusyLockGivesUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	unlock, err := lock(path+".lock", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	s := &Store{Path: path, LockWait: 20 * time.Millisecond}
	if _, err := s.Update(func(*Ledger) bool { return true }); !errors.Is(err, ErrBusy) {
		t.Errorf("Update under a held lock = %v, want ErrBusy", err)
	}
}

func TestNewerFormatIsLeftAlone(t *testing.T) {
	s := Open(filepath.Join(t.TempDir(), FileName))
	newer := `{"version":2,"credentials":{},"something":"new"}`
	if err := os.WriteFile(s.Path, []byte(newer), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Update(func(*Ledger) bool { return true })
	if err == nil {
		t.Fatal("Update rewrote a ledger of a newer format")
	}
	// Both tokenage and tokencheck write the ledger: the message names the file and the toolkit, not one tool.
	if msg := err.Error(); !strings.Contains(msg, s.Path) || !strings.Contains(msg, "newer version of tokenguard (format 2)") {
		t.Errorf("err = %q", msg)
	}
	if data, _ := os.ReadFile(s.Path); string(data) != newer {
		t.Errorf("the newer ledger was changed to %s", data)
	}
}
