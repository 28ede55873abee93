package secretscan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/hubfetch"
)

// hubState is the --since-state file: for each repository scanned to the
// end, the commit each ref pointed at. A nil *hubState (no flag) knows
// nothing and records nothing.
type hubState struct {
	path string
	mu   sync.Mutex
	file hubStateFile
}

type hubStateFile struct {
	Version int                          `json:"version"`
	Repos   map[string]map[string]string `json:"repositories"` // "space alice/app" → ref → commit
}

const hubStateVersion = 1

// refHeads are the refs of a fetched repository.
var refHeads = hubfetch.Heads

func loadHubState(path string) (*hubState, error) {
	s := &hubState{path: path, file: hubStateFile{Version: hubStateVersion, Repos: map[string]map[string]string{}}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil // the first run
	}
	if err != nil {
		return nil, fmt.Errorf("--since-state %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &s.file); err != nil || s.file.Version != hubStateVersion {
		return nil, fmt.Errorf("--since-state %s: not a state file of secretscan hub (version %d)", path, hubStateVersion)
	}
	if s.file.Repos == nil {
		s.file.Repos = map[string]map[string]string{}
	}
	return s, nil
}

// known are the commits recorded for r that the fetched repository still
// has: their history was scanned, so the scan leaves it out.
func (s *hubState) known(ctx context.Context, r hub.Repo, dir string) []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	ids := slices.Sorted(maps.Values(s.file.Repos[repoName(r)]))
	s.mu.Unlock()
	have, err := hubfetch.Commits(ctx, dir, slices.Compact(ids))
	if err != nil {
		return nil // scan it all: more work, nothing missed
	}
	return have
}

// unchanged reports whether every ref is where the last scan left it.
func (s *hubState) unchanged(r hub.Repo, heads map[string]string) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.file.Repos[repoName(r)]
	return ok && maps.Equal(old, heads)
}

// record saves r's heads and writes the file at once, so that an
// interrupted run keeps what it finished.
func (s *hubState) record(r hub.Repo, heads map[string]string) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.file.Repos[repoName(r)] = heads
	data, err := json.MarshalIndent(s.file, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.path, append(data, '\n'), 0o600)
}
