package tokenage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/shell"
)

// initCmd prints the shell snippet.
type initCmd struct {
	Shell   string        `arg:"" enum:"bash,zsh,fish" help:"The shell: ${enum}."`
	Timeout time.Duration `default:"300ms" help:"Hard limit of each run in the shell."`
}

// Help implements kong's HelpProvider.
func (initCmd) Help() string {
	return `Prints a snippet for the shell's startup file. It runs 'tokenage warn' once
when an interactive shell starts (never on each prompt, never in scripts),
calls this binary by its absolute path, does nothing if the binary has gone,
keeps the exit status it found, and gives up after --timeout.

Add one line to the startup file:
  bash  ~/.bashrc                    eval "$(tokenage init bash)"
  zsh   ~/.zshrc                     eval "$(tokenage init zsh)"
  fish  ~/.config/fish/config.fish   tokenage init fish | source

` + clikit.ExitCodesHelp + `

Examples:
  $ tokenage init bash >> ~/.bashrc      # or the eval line above, which follows upgrades
  $ tokenage init fish | source`
}

// Run implements the command.
func (c *initCmd) Run(std clikit.Stdio) error {
	sh, _ := shell.Lookup(c.Shell) // kong's enum has checked the name
	path, err := selfPath()
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "run tokenage by its full path", "cannot find where tokenage is installed: %w", err)
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
