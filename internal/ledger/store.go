package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
)

// FileName is the ledger's file in the state directory.
const FileName = "ledger.json"

// ErrBusy means another process held the ledger's lock for longer than the
// store's LockWait; nothing was written.
var ErrBusy = errors.New("the ledger is locked by another process")

// CorruptError means the file could not be parsed (half written by a crash,
// or edited by hand). Update rebuilds it from scratch and returns this error
// alongside a usable ledger, so the caller can warn once.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s was unreadable (%v) and has been rebuilt: ages count from today", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Store is the ledger file. Readers never lock: every write replaces the
// file atomically, so a reader sees a whole old or a whole new file. Writers
// serialise on an advisory lock beside it, so concurrent shells do not lose
// each other's entries.
type Store struct {
	Path string
	// LockWait bounds the wait for the lock; Update gives up with ErrBusy after it.
	LockWait time.Duration
}

// Open returns the store at path, waiting at most 2 s for the lock.
func Open(path string) *Store { return &Store{Path: path, LockWait: 2 * time.Second} }

// Load reads the ledger. A missing file is an empty ledger. An unparsable
// file gives an empty ledger and a *CorruptError; a file that cannot be read,
// or was written by a newer version, gives nil and an error.
func (s *Store) Load() (*Ledger, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the ledger: %w", err)
	}
	return decode(s.Path, data)
}

func decode(path string, data []byte) (*Ledger, error) {
	l := &Ledger{}
	if err := json.Unmarshal(data, l); err != nil {
		return New(), &CorruptError{Path: path, Err: err}
	}
	if l.Version > Version {
		// Rebuilding would throw away what a newer tokenage knows.
		return nil, fmt.Errorf("%s was written by a newer tokenage (format %d): upgrade tokenage", path, l.Version)
	}
	if l.Version != Version {
		return New(), &CorruptError{Path: path, Err: fmt.Errorf("unknown format version %d", l.Version)}
	}
	if l.Entries == nil {
		l.Entries = map[string]*Entry{}
	}
	for fp, e := range l.Entries {
		if e == nil || fp == "" {
			return New(), &CorruptError{Path: path, Err: fmt.Errorf("empty entry %q", fp)}
		}
	}
	return l, nil
}

// Update applies change to the current ledger under the lock and writes the
// result when change reports a modification (or the file had to be rebuilt).
// It returns the ledger as written. A *CorruptError return comes with a valid,
// rebuilt ledger; any other error means nothing was written.
func (s *Store) Update(change func(*Ledger) bool) (*Ledger, error) {
	unlock, err := lock(s.Path+".lock", s.LockWait)
	if err != nil {
		return nil, err
	}
	defer unlock()
	l, loadErr := s.Load()
	var corrupt *CorruptError
	if loadErr != nil && !errors.As(loadErr, &corrupt) {
		return nil, loadErr
	}
	if !change(l) && corrupt == nil {
		return l, nil
	}
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("failed to encode the ledger: %w", err)
	}
	if err := atomicfile.WritePrivate(s.Path, append(data, '\n')); err != nil {
		return nil, err
	}
	if corrupt != nil {
		return l, corrupt
	}
	return l, nil
}
