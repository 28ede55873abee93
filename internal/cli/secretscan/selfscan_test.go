package secretscan

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The repository runs its own hook, so its tree must scan clean under its
// own .tokenguard.toml: a new fixture outside the allowlisted folders fails
// here rather than in a contributor's commit.
func TestRepositoryScansItselfClean(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root) // as the hook runs: from the top of the work tree
	var stdout, stderr bytes.Buffer
	code := run([]string{"dir", ".", "--no-audit-log"},
		strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("secretscan dir on the repository: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
