package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// FileName is the ledger's file in the state directory.
const FileName = "ledger.json"

// ErrBusy means another process held the ledger's lock for longer than the
// store's LockWait; nothing was written.
var ErrBusy = errors.New("the ledger is locked by another process")

// CorruptError means the file was not wholly usable: it could not be parsed
// at all (half written by a crash, edited by hand, not a regular file), or
// some of its entries were malformed. Load returns it with the entries that
// were valid; Update then moves the original aside to Aside (it is never
// deleted) before writing the ledger anew, and returns this error alongside
// a usable ledger so that the caller can warn once.
type CorruptError struct {
	Path    string
	Err     error // what is wrong (with the first malformed entry)
	Dropped int   // malformed entries left out; 0 when the whole file was unusable
	Kept    int   // valid entries kept
	Aside   string
}

func (e *CorruptError) Error() string {
	moved := ""
	if e.Aside != "" {
		moved = "; the original was moved to " + e.Aside
	}
	if e.Dropped == 0 {
		return fmt.Sprintf("%s could not be read (%v)%s: a new ledger was started and ages count from today", e.Path, e.Err, moved)
	}
	return fmt.Sprintf("%s had %d malformed %s (%v), left out; the %d valid %s kept with their dates%s", e.Path,
		e.Dropped, plural(e.Dropped, "entry", "entries"), e.Err, e.Kept, plural(e.Kept, "entry was", "entries were"), moved)
}

func (e *CorruptError) Unwrap() error { return e.Err }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileLimit bounds the ledger file: an entry is a few hundred bytes.
const fileLimit = 4 << 20

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

// Load reads the ledger. A missing file is an empty ledger. A file that is
// not wholly usable gives its valid entries and a *CorruptError; a file that
// cannot be read, or was written by a newer version, gives nil and an error.
func (s *Store) Load() (*Ledger, error) {
	data, _, err := smallfile.Read(s.Path, fileLimit)
	var se *smallfile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return New(), nil
	case errors.As(err, &se) && se.Err == nil:
		// Not a regular file, or too large: no ledger tokenguard wrote.
		return New(), &CorruptError{Path: s.Path, Err: errors.New(se.Why)}
	case err != nil:
		return nil, fmt.Errorf("failed to read the ledger: %w", err)
	}
	return decode(s.Path, data)
}

// file is the ledger as stored, each entry decoded on its own so that one
// malformed entry costs only itself.
type file struct {
	Version int                        `json:"version"`
	Entries map[string]json.RawMessage `json:"credentials"`
}

// decode reads the ledger with the small decoder (smalljson.go), or with
// encoding/json where that declines: the result is the same (FuzzDecode).
func decode(path string, data []byte) (*Ledger, error) { return decodeWith(path, data, true) }

func decodeWith(path string, data []byte, small bool) (*Ledger, error) {
	var f file
	version, entries, ok := 0, map[string]*Entry(nil), false
	if small {
		version, entries, ok = decodeSmall(data)
	}
	if !ok {
		if err := json.Unmarshal(data, &f); err != nil {
			return New(), &CorruptError{Path: path, Err: err}
		}
		version = f.Version
	}
	if version > Version {
		// Rebuilding would throw away what a newer version knows. tokenage
		// and tokencheck both write the ledger: the toolkit is what to upgrade.
		return nil, fmt.Errorf("%s was written by a newer version of tokenguard (format %d): upgrade tokenguard", path, version)
	}
	if version != Version {
		return New(), &CorruptError{Path: path, Err: fmt.Errorf("unknown format version %d", version)}
	}
	fps := slices.Sorted(maps.Keys(f.Entries))
	if ok {
		fps = slices.Sorted(maps.Keys(entries))
	}
	l := New()
	var bad *CorruptError
	for _, fp := range fps {
		var e *Entry
		var err error
		if ok {
			e, err = entries[fp], checkEntry(fp, entries[fp])
		} else {
			e, err = decodeEntry(fp, f.Entries[fp])
		}
		if err != nil {
			if bad == nil {
				bad = &CorruptError{Path: path, Err: err}
			}
			bad.Dropped++
			continue
		}
		l.Entries[fp] = e
	}
	if bad != nil {
		bad.Kept = len(l.Entries)
		return l, bad
	}
	return l, nil
}

// decodeEntry reads one entry; an entry without a provider or a first-seen
// date has no age to offer.
func decodeEntry(fp string, raw json.RawMessage) (*Entry, error) {
	var e *Entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("entry %q: %w", shortFP(fp), err)
	}
	return e, checkEntry(fp, e)
}

func checkEntry(fp string, e *Entry) error {
	switch {
	case fp == "":
		return errors.New("an entry without a fingerprint")
	case e == nil:
		return fmt.Errorf("entry %q is empty", shortFP(fp))
	case e.Provider == "" || e.FirstSeen.IsZero():
		return fmt.Errorf("entry %q has no provider or first-seen date", shortFP(fp))
	}
	return nil
}

func shortFP(fp string) string {
	if len(fp) > 16 {
		return fp[:16] + "…"
	}
	return fp
}

// moveAside renames the file to <name>.corrupt-<UTC time>, never over
// another file, and returns the new path.
func (s *Store) moveAside(now time.Time) (string, error) {
	base := s.Path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	aside := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s-%d", base, n)
	}
	if err := os.Rename(s.Path, aside); err != nil {
		return "", fmt.Errorf("failed to move the unusable ledger aside: %w", err)
	}
	return aside, nil
}

// Update applies change to the current ledger under the lock and writes the
// result when change reports a modification, or when the file was not wholly
// usable: the original is then first moved aside. It returns the ledger as
// written. A *CorruptError return comes with a valid ledger, written; any
// other error means nothing was written.
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
	if corrupt != nil {
		if corrupt.Aside, err = s.moveAside(time.Now()); err != nil {
			return nil, err
		}
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
