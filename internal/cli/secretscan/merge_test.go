package secretscan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// writeJSON writes a JSON report as secretscan hub would.
func writeJSON(t *testing.T, dir, name string, fs []scan.Finding, opts report.Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := (report.JSON{}).Write(&b, fs, opts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMergeExitCodes(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	dir := "."
	leak := scan.Finding{RuleID: "huggingface-token", File: "app.py", Line: 1, Masked: "hf_…6GiQ", Fingerprint: "83a7a7cdea3ecb72",
		Commit: "c1", Repository: "space a/app"}
	public := scan.Finding{RuleID: "firebase-web-key", File: "web.js", Line: 2, Masked: "AIza…", Fingerprint: "0f", Informational: true,
		Commit: "c2", Repository: "space a/web"}
	s1 := writeJSON(t, dir, "s1.json", []scan.Finding{public}, report.Options{Shard: "1/2"})
	s2 := writeJSON(t, dir, "s2.json", nil, report.Options{Shard: "2/2"})
	s2leak := writeJSON(t, dir, "s2leak.json", []scan.Finding{leak, leak}, report.Options{Shard: "2/2"})
	other := writeJSON(t, dir, "other.json", nil, report.Options{Shard: "3/3"})
	unread := writeJSON(t, dir, "unread.json", nil, report.Options{NotScanned: []report.NotScanned{{Path: "model a/x", Reason: "not read: 404", Incomplete: true}}})
	lfs := writeJSON(t, dir, "lfs.json", nil, report.Options{NotScanned: []report.NotScanned{{Path: "model a/y: w.bin", Reason: "LFS object not downloaded (2 KiB)"}}})
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"complete, informational only", []string{s1, s2, lfs}, 0, ""},
		{"a finding, once however often given", []string{s1, s2leak, s2leak}, 1, "secretscan: error: 1 secret found in 1 place of 3 reports\n"},
		{"a missing share", []string{s1}, 3, "secretscan: error: merge incomplete: no report of shard 2/2\n"},
		{"shares of another N checked apart", []string{s1, s2, other}, 3, "no report of shard 1/3, 2/3\n"},
		{"an unread repository", []string{s1, s2, unread}, 3, "secretscan: error: merge incomplete: 1 file not scanned: 1 not read\n"},
		{"findings win, incompleteness said", []string{s2leak, unread}, 1, "1 secret found in 1 place of 2 reports; incomplete: no report of shard 1/2; 1 file not scanned: 1 not read\n"},
		{"--verify is refused", []string{"--verify", s1}, 2, "--verify does not apply to merge"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"merge", "-f", "json", "--no-audit-log"}, tc.args...), strings.NewReader(""), &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, code, stderr.String(), tc.code, tc.stderr)
		}
		if code != 2 && strings.Count(stdout.String(), `"rule": "huggingface-token"`) > 1 {
			t.Errorf("%s: a finding repeated:\n%s", tc.name, stdout.String())
		}
	}
}

// TestSortFindingsIsTotal: any order in, one order out.
func TestSortFindingsIsTotal(t *testing.T) {
	a := scan.Finding{Repository: "model a/b", File: "x", Commit: "c", Line: 1, Column: 1, RuleID: "r1", Fingerprint: "f1"}
	b, c := a, a
	b.RuleID, c.Fingerprint = "r2", "f0"
	x := []scan.Finding{b, a, c}
	y := []scan.Finding{c, b, a}
	sortFindings(x)
	sortFindings(y)
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("orders differ: %v vs %v", x, y)
		}
	}
	if got := dedupFindings([]scan.Finding{a, b, a, c, a}); len(got) != 3 {
		t.Errorf("dedup kept %d, want 3", len(got))
	}
}
