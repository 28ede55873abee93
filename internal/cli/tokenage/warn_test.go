package tokenage

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a terminal written from two goroutines (the work and the
// timer).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// seenToday makes a home whose one credential (HF_TOKEN) the ledger has
// just recorded, so that a clock 200 days on finds it past rotation.
func seenToday(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("HF_TOKEN", "hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	t.Chdir(home)
	var quiet lockedBuffer
	if err := (&WarnCmd{}).Run(NewBooks(Small), Stdio{Out: &quiet, Err: &quiet}); err != nil || quiet.String() != "" {
		t.Fatalf("first sight: %v, %q", err, quiet.String())
	}
}

// A warn that cannot finish in time (here its clock hangs, as a read from a
// dead disk would) writes one line, ends the process with exit 0, and
// writes nothing of the work it did, even when the work ends after all.
func TestWarnGivesUpAfterTimeout(t *testing.T) {
	seenToday(t)
	b := NewBooks(Small)
	hang := make(chan struct{})
	b.now = func() time.Time { <-hang; return time.Now().Add(200 * 24 * time.Hour) } // past the rotation age
	exited := make(chan int, 1)
	b.exit = func(code int) { exited <- code }
	var term lockedBuffer
	c := &WarnCmd{Timeout: 20 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- c.Run(b, Stdio{Out: &term, Err: &term}) }()
	if code := <-exited; code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	close(hang) // the work ends after all: its warnings must not follow
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := "tokenage: warning: gave up after 20ms (slow disk or a busy ledger); run 'tokenage status' to see the ages\n"
	if got := term.String(); got != want {
		t.Fatalf("terminal got %q, want only %q", got, want)
	}
}

// Within the time, the work's warnings are written and the timer never
// fires.
func TestWarnWithinTimeout(t *testing.T) {
	seenToday(t)
	b := NewBooks(Small)
	b.now = func() time.Time { return time.Now().Add(200 * 24 * time.Hour) }
	b.exit = func(code int) { t.Errorf("exit(%d) called within the time", code) }
	var term lockedBuffer
	c := &WarnCmd{Timeout: time.Hour}
	if err := c.Run(b, Stdio{Out: &term, Err: &term}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := term.String(); !strings.Contains(got, "old — rotate it") || strings.Contains(got, "gave up") {
		t.Fatalf("terminal got %q, want the rotation warning alone", got)
	}
}
