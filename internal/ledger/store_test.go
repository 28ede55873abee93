package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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

func TestCorruptFileIsRebuilt(t *testing.T) {
	for name, content := range map[string]string{
		"half written": `{"version":1,"credentials":{"ab`,
		"not json":     "garbage",
		"no version":   `{"credentials":{}}`,
		"null entry":   `{"version":1,"credentials":{"ab":null}}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := Open(filepath.Join(t.TempDir(), FileName))
			if err := os.WriteFile(s.Path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load()
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) {
				t.Fatalf("Load error = %v, want a CorruptError", err)
			}
			l, err := s.Update(func(l *Ledger) bool { return false })
			if !errors.As(err, &corrupt) || l == nil {
				t.Fatalf("Update = %v, %v; want a rebuilt ledger and a CorruptError", l, err)
			}
			if _, err := s.Load(); err != nil {
				t.Errorf("after the rebuild: %v", err)
			}
		})
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
	if _, err := s.Update(func(*Ledger) bool { return true }); err == nil {
		t.Fatal("Update rewrote a ledger of a newer format")
	}
	if data, _ := os.ReadFile(s.Path); string(data) != newer {
		t.Errorf("the newer ledger was changed to %s", data)
	}
}
