// Package tokencheck is the tokencheck command line: pre-flight validation of
// every credential a job needs, as a report or as a wrapper around the job.
package tokencheck

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/statedir"
	"github.com/tokenguard/tokenguard/internal/token"
)

const name = "tokencheck"

// cli is the whole command line.
type cli struct {
	clikit.Common `embed:""`

	Check  checkCmd  `cmd:"" default:"withargs" help:"Validate credentials (the default command)."`
	Run    runCmd    `cmd:"" help:"Validate credentials, then run a command only if every requirement holds."`
	Rotate rotateCmd `cmd:"" help:"Replace a provider's token everywhere the old one lives, after checking the new one."`
}

// configFile is the configuration in force, for the requirements it lists.
type configFile struct {
	config.File
	Path string // "" when there is none
}

// closeLog flushes and closes the audit log: run calls it before exec.
type closeLog func()

// Main runs tokencheck with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	// Everything after "run … --" is the job's own command line, not ours.
	var command []string
	if i := slices.Index(args, "--"); i >= 0 && slices.Contains(args[:i], "run") {
		args, command = args[:i], args[i+1:]
	}
	var c cli
	kctx, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Validate, before a job starts, every credential it needs: Hugging Face, Modal, GitHub, W&B, OpenAI, Anthropic.\n\n"+clikit.ExitCodesHelp),
		kong.Vars{
			"verbose_help":    "Also print progress and retries on stderr.",
			"timeout_help":    "Give up on a provider after this long, retries included.",
			"timeout_default": "30s",
		},
	)
	if done {
		return code
	}
	c.Run.command = command

	// Ctrl-C stops the checks in flight instead of leaving them to time out.
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		log, closeFn := c.OpenLog(name, stderr)
		defer closeFn()
		cwd, _ := os.Getwd()
		f, path, err := config.Load(cwd)
		if err != nil {
			return clikit.Errorf(clikit.ExitUsage, "fix the file, or see the README for the keys of "+config.FileName, "%w", err)
		}
		kctx.BindTo(ctx, (*context.Context)(nil))
		kctx.Bind(log, closeLog(closeFn), token.OSEnv(), configFile{f, path}, c.Timeout, clikit.Stdio{In: os.Stdin, Out: stdout, Err: stderr})
		return kctx.Run()
	})
}

// checkFlags are shared by check and run.
type checkFlags struct {
	Providers []string      `arg:"" optional:"" name:"requirement" help:"Credentials the job needs, as PROVIDER[:LEVEL]: hf, hf:read, hf:write, modal, github, github:SCOPE, wandb, openai, anthropic."`
	Require   []string      `short:"r" placeholder:"PROVIDER[:LEVEL]" help:"Same as a positional requirement; repeatable."`
	Repo      string        `placeholder:"ID[:TYPE]" help:"Also check the Hugging Face token can write to this repository (TYPE: model, dataset or space). Implies hf:write."`
	Offline   bool          `help:"Check formats only; make no network call (a credential that passes is well-formed, not valid)."`
	ValidFor  time.Duration `name:"valid-for" placeholder:"DURATION" help:"Count a credential expiring within DURATION (e.g. 6h) as expired: the job would outlive it."`
	NoCache   bool          `name:"no-cache" env:"TOKENGUARD_NO_CACHE" help:"Ignore and do not update the 10-minute cache of successful checks."`
	Format    string        `short:"f" default:"text" enum:"text,json,github" help:"Report format: ${enum}."`
}

// requirements merges positional requirements, --require, --repo and the
// configuration file into the list to check (empty: check whatever is found).
func (f *checkFlags) requirements(cfg configFile) ([]token.Requirement, error) {
	names := append(append([]string{}, f.Providers...), f.Require...)
	from := "the command line"
	if len(names) == 0 && len(cfg.Tokencheck.Require) > 0 {
		names, from = cfg.Tokencheck.Require, cfg.Path
	}
	var reqs []token.Requirement
	for _, n := range names {
		r, err := token.ParseRequirement(n)
		if err != nil {
			return nil, clikit.Errorf(clikit.ExitUsage, "fix the requirement in "+from, "%w", err)
		}
		if i := slices.IndexFunc(reqs, func(o token.Requirement) bool { return o.Provider == r.Provider }); i >= 0 {
			if r.Level != "" {
				reqs[i].Level = r.Level // hf plus hf:write means hf:write
			}
			continue
		}
		reqs = append(reqs, r)
	}
	if f.Repo != "" {
		id, kind, err := hub.ParseRepo(f.Repo)
		if err != nil {
			return nil, clikit.Errorf(clikit.ExitUsage, "pass --repo as namespace/name, optionally with :model, :dataset or :space", "%w", err)
		}
		i := slices.IndexFunc(reqs, func(o token.Requirement) bool { return o.Provider == "hf" })
		if i < 0 {
			reqs = append(reqs, token.Requirement{Provider: "hf"})
			i = len(reqs) - 1
		}
		reqs[i].Level, reqs[i].Repo, reqs[i].RepoType = "write", id, kind
	}
	return reqs, nil
}

// check runs the checks and returns the results; what live checks
// learnt about ages goes to the ledger.
func (f *checkFlags) check(ctx context.Context, log *logrus.Logger, env token.Env, timeout time.Duration, reqs []token.Requirement) []token.Result {
	k := &token.Checker{
		Env:      env,
		HTTP:     &http.Client{},
		Retry:    retry.Default(),
		Log:      log,
		Offline:  f.Offline,
		Timeout:  timeout,
		ValidFor: f.ValidFor,
		Now:      time.Now,
	}
	k.UserAgent = clikit.UserAgent(name)
	if !f.NoCache && !f.Offline {
		dir, err := statedir.Dir(os.Getenv)
		if err == nil {
			k.Cache = token.OpenCache(filepath.Join(dir, "cache.json"), 10*time.Minute)
		}
	}
	results := k.Check(ctx, reqs)
	if !f.Offline {
		recordAges(log, results)
	}
	return results
}

// verdict turns results into the exit code and the line that explains it.
// A credential that fails wins (exit 1) over one that could not be checked
// (exit 3); the line names both.
func verdict(results []token.Result) error {
	var failed, unknown, unreadable []string
	for _, r := range results {
		if !r.Required {
			continue
		}
		switch {
		case r.Status.Good():
		case r.Status == token.Unknown:
			unknown = append(unknown, r.Provider)
		case r.Status == token.Unreadable:
			unreadable = append(unreadable, r.Provider)
		default:
			failed = append(failed, r.Provider+" "+string(r.Status))
		}
	}
	var incomplete []string
	if len(unknown) > 0 {
		incomplete = append(incomplete, "could not check "+strings.Join(unknown, ", ")+": the service did not answer")
	}
	if len(unreadable) > 0 {
		incomplete = append(incomplete, "could not read the credential file of "+strings.Join(unreadable, ", "))
	}
	switch {
	case len(failed) > 0:
		msg := "not ready: " + strings.Join(failed, ", ")
		if len(incomplete) > 0 {
			msg += "; also " + strings.Join(incomplete, "; ")
		}
		return clikit.Errorf(clikit.ExitPolicy, "fix what the report says, then run tokencheck again", "%s", msg)
	case len(unreadable) > 0:
		return clikit.Errorf(clikit.ExitIncomplete, "fix or remove the file the report names, then run tokencheck again",
			"%s", strings.Join(incomplete, "; "))
	case len(unknown) > 0:
		return clikit.Errorf(clikit.ExitIncomplete, "check the network (or the endpoint variables) and run tokencheck again",
			"%s", incomplete[0])
	}
	return nil
}
