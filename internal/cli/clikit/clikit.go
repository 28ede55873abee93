// Package clikit is the plumbing every tokenguard binary shares: kong parsing
// with exit codes instead of os.Exit, and errors printed in one voice.
package clikit

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/posener/complete"
	"github.com/willabides/kongplete"

	"github.com/tokenguard/tokenguard/internal/cli/exitcode"
)

// Exit codes, the same for every binary (see exitcode).
const (
	ExitOK         = exitcode.OK
	ExitPolicy     = exitcode.Policy
	ExitUsage      = exitcode.Usage
	ExitIncomplete = exitcode.Incomplete
)

// ExitCodesHelp is the paragraph every --help ends with.
const ExitCodesHelp = `Exit codes: 0 all good, 1 policy failure, 2 usage error, 3 could not complete. ` + InterruptHelp

// Error is an error with the exit code it causes and the next step for the user.
type Error = exitcode.Error

// Errorf builds an Error.
func Errorf(code int, hint, format string, args ...any) *Error {
	return exitcode.Errorf(code, hint, format, args...)
}

// Silent is an exit code whose explanation was already printed (a report).
type Silent = exitcode.Silent

// Version is the module version the binary was built from.
func Version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// inspectParser, set only by tests, sees each parser Parse builds: that is
// how a test reads every tool's flags from the models themselves.
var inspectParser func(*kong.Kong)

// UserAgent is how the binary name names itself to the services it calls:
// tokenguard-<name>/<version>.
func UserAgent(name string) string { return "tokenguard-" + name + "/" + Version() }

// exit carries kong's exit request (after --help or --version) out of Parse.
type exit struct{ code int }

// Parse parses args into model. done reports that the run is over (help or
// version shown, or a usage error printed) and code is the exit code.
func Parse(name string, model any, args []string, stdout, stderr io.Writer, opts ...kong.Option) (kctx *kong.Context, code int, done bool) {
	opts = append([]kong.Option{
		kong.Name(name),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exit{code}) }),
		kong.Vars{"version": name + " " + Version()},
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	}, opts...)
	if others := onlyCommand(model, args); others != nil {
		opts = append(opts, kong.IgnoreFields(others...))
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(exit)
			if !ok {
				panic(r)
			}
			kctx, code, done = nil, e.code, true
		}
	}()
	parser, err := kong.New(model, opts...)
	if err != nil {
		panic(err) // the command structs are wrong: a programming error
	}
	if inspectParser != nil {
		inspectParser(parser)
	}
	if os.Getenv("COMP_LINE") != "" {
		// The shell asks for completions (bash's complete -C protocol,
		// which install.sh's zsh and fish lines use too): answer on
		// stdout and stop. Checked first so other runs pay nothing.
		kongplete.Complete(parser,
			kongplete.WithPredictor("file", complete.PredictFiles("*")),
			kongplete.WithPredictor("dir", complete.PredictDirs("*")),
			kongplete.WithExitFunc(func(code int) { panic(exit{code}) }))
	}
	kctx, err = parser.Parse(args)
	if err != nil {
		return nil, usage(name, stderr, err), true
	}
	return kctx, ExitOK, false
}

// usage prints a parse error and returns its exit code. An *Error from a
// Validate method keeps its hint and code; a missing argument or command
// is named with what it is for.
func usage(name string, stderr io.Writer, err error) int {
	var e *Error
	if errors.As(err, &e) {
		exitcode.Say(stderr, name, "error", err.Error())
		if e.Hint != "" {
			exitcode.Say(stderr, name, "hint", e.Hint)
		}
		return e.Code
	}
	msg, hint := err.Error(), "run '"+name+" --help' for usage"
	var perr *kong.ParseError
	if errors.As(err, &perr) && perr.Context != nil && strings.HasPrefix(msg, "expected ") {
		if m, cmd := missing(perr.Context); m != "" {
			msg, hint = m, "run '"+strings.TrimSpace(name+" "+cmd)+" --help' for usage"
		}
	}
	exitcode.Say(stderr, name, "error", msg)
	exitcode.Say(stderr, name, "hint", hint)
	return ExitUsage
}

// missing words what the command line lacks: the required arguments of
// the command chosen, each with the first sentence of its help, else a
// command. cmd is the chosen command's path, for the hint.
func missing(kctx *kong.Context) (msg, cmd string) {
	node := kctx.Selected()
	if node == nil {
		node = kctx.Model.Node
	} else {
		cmd = node.Path()
	}
	var args []string
	for _, p := range node.Positional {
		if p.Required && !p.Set {
			args = append(args, p.Summary()+" ("+firstSentence(p.Help)+")")
		}
	}
	if len(args) > 0 {
		return "missing " + strings.Join(args, " and "), cmd
	}
	var cmds []string
	for _, c := range node.Children {
		if c.Type == kong.CommandNode && !c.Hidden {
			cmds = append(cmds, c.Name)
		}
	}
	if len(cmds) > 0 {
		return "missing command: one of " + strings.Join(cmds, ", "), cmd
	}
	return "", ""
}

// firstSentence is help's first sentence, lower case and without its
// period, to follow a colon or a parenthesis.
func firstSentence(help string) string {
	s, _, _ := strings.Cut(help, ". ")
	s = strings.TrimSuffix(s, ".")
	if len(s) > 1 && s[1] >= 'a' && s[1] <= 'z' { // not an acronym
		s = strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// Report prints err in the one voice and returns the exit code it causes.
func Report(name string, stderr io.Writer, err error) int { return exitcode.Report(name, stderr, err) }
