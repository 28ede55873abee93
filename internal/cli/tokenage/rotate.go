package tokenage

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// RotateCmd hands `tokenage rotate …` to `tokencheck rotate …`. Rotation
// needs the live checks and the GitHub API, and tokenage must link no
// network code: every shell start runs it (see deps_test.go).
type RotateCmd struct {
	Args []string `arg:"" optional:"" passthrough:"" help:"PROVIDER and the flags of tokencheck rotate (see tokencheck rotate --help)."`
}

// Run implements the command.
func (c *RotateCmd) Run(std Stdio) error {
	bin, err := tokencheckPath()
	if err != nil {
		return exitcode.Errorf(exitcode.Incomplete, "install tokencheck beside tokenage (install.sh installs both) or put it on PATH", "%w", err)
	}
	cmd := exec.Command(bin, append([]string{"rotate"}, c.Args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, std.Out, std.Err
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exitcode.Silent(exit.ExitCode()) // tokencheck has said why
	}
	return exitcode.Errorf(exitcode.Incomplete, "run tokencheck rotate directly", "could not run %s: %w", bin, err)
}

// tokencheckPath is the tokencheck beside the running executable, else on PATH.
func tokencheckPath() (string, error) {
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "tokencheck")
		if fi, err := os.Stat(beside); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return beside, nil
		}
	}
	p, err := exec.LookPath("tokencheck")
	if err != nil {
		return "", errors.New("tokenage rotate needs tokencheck, which is neither beside tokenage nor on PATH")
	}
	return p, nil
}
