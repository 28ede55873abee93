package tokenage

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// CLI is the binary that holds the whole command line.
const CLI = "tokenage-cli"

// delegate replaces this process by tokenage-cli with the same arguments,
// environment and standard streams, so that its help, messages and exit
// codes are the user's answer. It returns only when that fails.
func delegate(args []string, stderr io.Writer) int {
	path, looked := cliPath()
	if path == "" {
		code := exitcode.Report(name, stderr, exitcode.Errorf(exitcode.Usage,
			"install both binaries into one directory: ./install.sh, or go install github.com/tokenguard/tokenguard/cmd/...@latest",
			"%s is missing: 'tokenage %s' needs it (every command but the shell's warn and init is there), and it is not in %s",
			CLI, strings.Join(args, " "), strings.Join(looked, " nor in ")))
		if len(args) > 0 && args[0] == "warn" {
			return exitcode.OK // warn never fails the shell it runs in
		}
		return code
	}
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	return exitcode.Report(name, stderr, exitcode.Errorf(exitcode.Incomplete, "run "+path+" directly", "cannot run %s: %w", path, err))
}

// cliPath is the tokenage-cli beside this tokenage: in the directory of the
// path it was started by (a link kept as a link, as install.sh and go
// install place both binaries together), else beside the file that path
// leads to. looked lists the directories searched.
func cliPath() (path string, looked []string) {
	var dirs []string
	if self, err := selfPath(); err == nil {
		dirs = append(dirs, filepath.Dir(self))
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err := filepath.EvalSymlinks(exe); err == nil && (len(dirs) == 0 || filepath.Dir(exe) != dirs[0]) {
			dirs = append(dirs, filepath.Dir(exe))
		}
	}
	for _, dir := range dirs {
		if p := filepath.Join(dir, CLI); isExecutable(p) {
			return p, nil
		}
	}
	return "", dirs
}

// isExecutable reports whether path is a regular file someone may execute.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
