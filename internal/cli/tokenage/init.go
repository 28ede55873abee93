package tokenage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
	"github.com/tokenguard/tokenguard/internal/shell"
)

// InitCmd prints the shell snippet.
type InitCmd struct {
	Shell   string        `arg:"" enum:"bash,zsh,fish" help:"The shell: ${enum}."`
	Timeout time.Duration `default:"300ms" help:"Hard limit of each run in the shell."`
}

// Run implements the command.
func (c *InitCmd) Run(std Stdio) error {
	sh, _ := shell.Lookup(c.Shell) // kong's enum has checked the name
	path, err := selfPath()
	if err == nil && filepath.Base(path) == CLI {
		// Run as tokenage-cli: the shell should run tokenage, the fast path.
		if front := filepath.Join(filepath.Dir(path), name); isExecutable(front) {
			path = front
		}
	}
	if err != nil {
		return exitcode.Errorf(exitcode.Incomplete, "run tokenage by its full path", "cannot find where tokenage is installed: %w", err)
	}
	snippet, err := shell.Render(sh, shell.Hook{Path: path, Timeout: c.Timeout})
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(std.Out, snippet)
	return err
}

// selfPath is the absolute path this binary was started by. Symbolic links
// are kept, so the snippet follows a link that an upgrade moves.
func selfPath() (string, error) {
	arg0 := os.Args[0]
	if !strings.ContainsRune(arg0, filepath.Separator) {
		if p, err := exec.LookPath(arg0); err == nil {
			arg0 = p
		} else {
			return os.Executable()
		}
	}
	return filepath.Abs(arg0)
}
