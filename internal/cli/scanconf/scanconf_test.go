package scanconf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

func TestBaselinePath(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "repo", ".tokenguard.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[scan]\nbaseline = \"ci/accepted.json\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		setup      *Setup
		flag, dir  string
		want       string
		named      bool
		wantOrigin string
	}{
		{s, "mine.json", "/w", "mine.json", true, "--baseline"},
		{s, "", "/w", filepath.Join(dir, "repo", "ci", "accepted.json"), true, "[scan] baseline in " + cfg},
		{&Setup{}, "", "/w", "/w/" + DefaultBaseline, false, ""},
		{&Setup{}, "", ".", DefaultBaseline, false, ""},
	} {
		p, named, origin := tc.setup.BaselinePath(tc.flag, tc.dir)
		if p != tc.want || named != tc.named || origin != tc.wantOrigin {
			t.Errorf("BaselinePath(%q, %q) = %q, %v, %q; want %q, %v, %q", tc.flag, tc.dir, p, named, origin, tc.want, tc.named, tc.wantOrigin)
		}
	}
	// The default file, absent, is no baseline; a named one must exist.
	if bl, err := (&Setup{}).Baseline("", dir); bl != nil || err != nil {
		t.Errorf("absent default baseline: %v, %v", bl, err)
	}
	_, err = s.Baseline("", dir)
	var e *clikit.Error
	if !errors.As(err, &e) || e.Code != clikit.ExitUsage || e.Hint != "create it with 'secretscan baseline', or fix [scan] baseline in "+cfg {
		t.Errorf("missing named baseline: %#v", err)
	}
}

func TestMaxSize(t *testing.T) {
	s := &Setup{}
	if got := s.MaxSize(0); got != 10<<20 {
		t.Errorf("default %d", got)
	}
	s.File.Scan.MaxFileSize = 5 << 20
	if got := s.MaxSize(0); got != 5<<20 {
		t.Errorf("[scan] max_file_size: %d", got)
	}
	if got := s.MaxSize(1 << 10); got != 1<<10 {
		t.Errorf("flag: %d", got)
	}
}

func TestLoadNamesTheFileOfABadRule(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), ".tokenguard.toml")
	if err := os.WriteFile(cfg, []byte("[[scan.rules]]\nid = \"x\"\nregex = \"(\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(cfg, "")
	var e *clikit.Error
	if !errors.As(err, &e) || e.Code != clikit.ExitUsage || e.Hint != "fix the [scan] table of "+cfg {
		t.Errorf("got %#v", err)
	}
}

func TestGitError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		hint string
	}{
		{fmt.Errorf("open: %w", gitrepo.ErrNotRepository), clikit.ExitIncomplete, "outside hint"},
		{gitrepo.ErrShallow, clikit.ExitIncomplete, "fetch the whole history first: git fetch --unshallow"},
		{gitrepo.ErrCorrupt, clikit.ExitIncomplete, "the repository is corrupt or incomplete: run 'git fsck' and fetch again"},
	} {
		var e *clikit.Error
		if err := GitError(tc.err, "outside hint"); !errors.As(err, &e) || e.Code != tc.code || e.Hint != tc.hint {
			t.Errorf("GitError(%v) = %#v", tc.err, err)
		}
	}
	if err := GitError(errors.New("disk full"), "x"); err != nil {
		t.Errorf("a non-git error mapped to %v", err)
	}
}
