package rotate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
)

// journal is a rotation in progress (or the last one done), in fingerprints only: a run that
// stopped midway (killed, or a remote secret that failed) is finished by
// running the same rotation again, even once the places already written no
// longer hold the old value to find it by.
type journal struct {
	Provider string   `json:"provider"`
	OldFP    string   `json:"old_fingerprint"`
	NewFP    string   `json:"new_fingerprint"`
	Halves   []string `json:"old_halves"` // fingerprint of each half of the old value
	Identity string   `json:"identity,omitempty"`
	Role     string   `json:"role,omitempty"`
	Level    string   `json:"level,omitempty"` // the requirement the new value must meet
	// Done: every place was written. Kept so that running the same rotation
	// again checks every place again instead of finding no old token.
	Done bool `json:"done,omitempty"`
}

func journalPath(dir, provider string) string {
	return filepath.Join(dir, "rotate-"+provider+".json")
}

// loadJournal returns the rotation in progress, or nil.
func loadJournal(dir, provider string) (*journal, error) {
	path := journalPath(dir, provider)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the rotation journal %s: %w", path, err)
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil || len(j.Halves) == 0 || j.NewFP == "" {
		return nil, fmt.Errorf("the rotation journal %s is malformed", path)
	}
	return &j, nil
}

func saveJournal(dir string, j journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WritePrivate(journalPath(dir, j.Provider), append(data, '\n'))
}
