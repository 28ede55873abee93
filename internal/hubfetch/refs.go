package hubfetch

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Heads maps each ref of the fetched repository to the commit it points
// at (annotated tags peeled).
func Heads(ctx context.Context, dir string) (map[string]string, error) {
	out, err := git(ctx, dir, nil, "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)")
	if err != nil {
		return nil, err
	}
	heads := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		heads[f[0]] = f[len(f)-1]
	}
	return heads, nil
}

// Commits returns those of ids that are commits in the repository: a
// history that was rewritten since may have lost some.
func Commits(ctx context.Context, dir string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var in strings.Builder
	for _, id := range ids {
		in.WriteString(id + "\n")
	}
	out, err := git(ctx, dir, strings.NewReader(in.String()), "cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return nil, err
	}
	var have []string
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if id, typ, _ := strings.Cut(line, " "); typ == "commit" {
			have = append(have, id)
		}
	}
	return have, nil
}

func git(ctx context.Context, dir string, stdin *strings.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = environ("", "")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
