package testscript

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The stage names pre-commit 3.2 introduced, and the spellings it deprecated
// (4.0 warns on every run that uses them).
var (
	currentStages = map[string]bool{"pre-commit": true, "pre-merge-commit": true, "pre-push": true, "manual": true}
	oldStages     = map[string]string{"pre-commit": "commit", "pre-merge-commit": "merge-commit", "pre-push": "push"}
	stagesLine    = regexp.MustCompile(`^(\s*stages:\s*)\[(.*)\]\s*$`)
)

// The shipped manifest speaks current pre-commit: only current stage names,
// and every hook states the release that knows them.
func TestPreCommitManifestUsesCurrentStageNames(t *testing.T) {
	data, err := os.ReadFile("../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hooks, minimums := 0, 0
	for n, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "- id:"):
			hooks++
		case strings.TrimSpace(line) == `minimum_pre_commit_version: "3.2.0"`:
			minimums++
		}
		m := stagesLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for stage := range strings.SplitSeq(m[2], ",") {
			if stage = strings.TrimSpace(stage); !currentStages[stage] {
				t.Errorf(".pre-commit-hooks.yaml:%d: stage %q is not a current pre-commit stage name", n+1, stage)
			}
		}
	}
	if hooks == 0 || minimums != hooks {
		t.Errorf("%d hooks, %d with minimum_pre_commit_version 3.2.0: want one each", hooks, minimums)
	}
}

// cmdPreCommitCompat makes the manifest copied into DIR runnable by the
// installed pre-commit: a release older than 3.2 (Debian 12's 3.0.4) gets
// the old stage names and no minimum version; a current one runs the
// shipped manifest unchanged. `precommit-compat DIR`
func cmdPreCommitCompat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: precommit-compat DIR")
	}
	out, err := exec.Command("pre-commit", "--version").Output()
	ts.Check(err)
	if !preCommitBefore32(string(out)) {
		return
	}
	path := filepath.Join(ts.MkAbs(args[0]), ".pre-commit-hooks.yaml")
	data, err := os.ReadFile(path)
	ts.Check(err)
	var kept []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "minimum_pre_commit_version:") {
			continue
		}
		if m := stagesLine.FindStringSubmatch(line); m != nil {
			var stages []string
			for stage := range strings.SplitSeq(m[2], ",") {
				stage = strings.TrimSpace(stage)
				if old, ok := oldStages[stage]; ok {
					stage = old
				}
				stages = append(stages, stage)
			}
			line = m[1] + "[" + strings.Join(stages, ", ") + "]"
		}
		kept = append(kept, line)
	}
	ts.Check(os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o644))
	ts.Logf("pre-commit %s: manifest rewritten to the pre-3.2 stage names", strings.TrimSpace(string(out)))
}

// preCommitBefore32 reads `pre-commit --version` ("pre-commit 3.0.4").
func preCommitBefore32(version string) bool {
	f := strings.Fields(version)
	if len(f) < 2 {
		return false
	}
	parts := strings.SplitN(f[len(f)-1], ".", 3)
	major, err1 := strconv.Atoi(parts[0])
	minor := 0
	var err2 error
	if len(parts) > 1 {
		minor, err2 = strconv.Atoi(parts[1])
	}
	if err1 != nil || err2 != nil {
		return false
	}
	return major < 3 || major == 3 && minor < 2
}

func TestPreCommitBefore32(t *testing.T) {
	for v, want := range map[string]bool{
		"pre-commit 3.0.4": true, "pre-commit 2.21.0": true, "pre-commit 3.2.0": false,
		"pre-commit 4.0.1": false, "pre-commit 3.10.1": false, "garbage": false,
	} {
		if got := preCommitBefore32(v); got != want {
			t.Errorf("preCommitBefore32(%q) = %v, want %v", v, got, want)
		}
	}
}
