// Package shell renders the snippets that run tokenage in a login shell, one
// file per shell. Every snippet calls the binary by absolute path, does
// nothing when the binary is missing, keeps the exit status it found, runs
// once per interactive shell (never on each prompt, never in scripts) and
// bounds the run with tokenage's own hard time limit.
package shell

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Shell is one supported shell.
type Shell interface {
	// Name is the shell's name as given to tokenage init: "bash".
	Name() string
	// RCLine is the line to add to the shell's startup file.
	RCLine() string
	// RCFile is that startup file, as people write it: "~/.bashrc".
	RCFile() string
	template() string // the snippet, with {{.Path}} and {{.Timeout}} to fill in
}

// Hook is what a snippet runs.
type Hook struct {
	Path    string        // absolute path of the tokenage binary
	Timeout time.Duration // hard limit of the run
}

// Shells lists the supported shells.
func Shells() []Shell { return []Shell{Bash{}, Zsh{}, Fish{}} }

// Names are the supported shells' names, for help and errors.
func Names() []string {
	var names []string
	for _, s := range Shells() {
		names = append(names, s.Name())
	}
	return names
}

// Lookup finds a shell by name.
func Lookup(name string) (Shell, bool) {
	i := slices.IndexFunc(Shells(), func(s Shell) bool { return s.Name() == name })
	if i < 0 {
		return nil, false
	}
	return Shells()[i], true
}

// Render writes the snippet of sh for hook.
func Render(sh Shell, hook Hook) (string, error) {
	if !strings.HasPrefix(hook.Path, "/") {
		return "", fmt.Errorf("the tokenage path %q is not absolute", hook.Path)
	}
	// A replacer rather than text/template: the snippets have two fixed
	// fields, and text/template would add to the start-up of every run.
	r := strings.NewReplacer("{{.Path}}", quote(hook.Path), "{{.Timeout}}", hook.Timeout.String())
	return r.Replace(sh.template()), nil
}

// quote makes s one single-quoted word in bash, zsh and fish alike: inside
// single quotes fish also treats \\ and \' specially, so a quote is closed,
// escaped and reopened, and backslashes are kept out of the quotes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString(`'\''`)
		case '\\':
			b.WriteString(`'\\'`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
