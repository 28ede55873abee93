// Package pushguard is the pushguard command line: git's pre-push hook,
// with one report of every check before the verdict.
package pushguard

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/cli/scanconf"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/push"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/token"
)

const name = "pushguard"

// cli is the whole command line: one command, the hook itself.
type cli struct {
	Remote        string        `arg:"" optional:"" help:"The remote's name, as git passes it (default: PRE_COMMIT_REMOTE_NAME, else none)."`
	URL           string        `arg:"" optional:"" help:"The remote's URL, as git passes it (default: PRE_COMMIT_REMOTE_URL)."`
	MaxFileSize   bytesize.Size `name:"max-file-size" placeholder:"SIZE" env:"TOKENGUARD_PUSH_MAX_FILE_SIZE" help:"Files above SIZE must be in LFS (default 10MiB, the Hub's limit; also [pushguard] max_file_size)."`
	ScanMaxSize   bytesize.Size `name:"scan-max-size" placeholder:"SIZE" env:"TOKENGUARD_MAX_FILE_SIZE" help:"Scan files up to SIZE for secrets (default: [scan] max_file_size, else 10MiB); larger ones are listed as not scanned and stop the push (exit 3) unless --allow-large."`
	AllowLarge    bool          `name:"allow-large" env:"TOKENGUARD_ALLOW_LARGE" help:"Let files over the scan limit go unscanned: still listed, but no longer exit 3."`
	Strict        bool          `help:"Block the push when the Hub cannot be reached (default: warn and let it go)."`
	NoHubCheck    bool          `name:"no-hub-check" help:"Do not check the Hugging Face token, even for a Hub remote."`
	Format        string        `short:"f" default:"text" enum:"text,json" help:"Report format: ${enum}."`
	clikit.Common `embed:""`
}

// Help implements kong's HelpProvider.
func (cli) Help() string {
	return `Install as .git/hooks/pre-push (see hooks/pre-push), or with the pre-commit
framework's pre-push stage, where the range comes from PRE_COMMIT_FROM_REF and
PRE_COMMIT_TO_REF. Reads git's pre-push input on stdin: one line per ref,
"<local ref> <local sha> <remote ref> <remote sha>", and checks every line and
every outgoing commit (commits no ref of the remote already has):

  1. secrets, with secretscan's rules, allowlists and baseline, in every
     file up to --scan-max-size; annotated tags are peeled (a tag of a
     tree or a blob has all of it scanned);
  2. files above the size limit not stored in LFS;
  3. for a Hugging Face remote, that the token the push would use is valid
     and can write to the repository (a token in the remote URL is reported
     as a risk). An unreachable Hub only warns unless --strict.

Prints nothing when the push is clean. Whatever is not scanned (over
--scan-max-size, a pushed object the repository lacks) is listed and, with
nothing else to block the push, exits 3; binary files are listed in JSON
only and do not count. To push anyway: git push --no-verify.

` + clikit.ExitCodesHelp + ` 1 blocks the push; so does 3.

Examples:
  $ ln -s "$(command -v pushguard)" .git/hooks/pre-push
  $ printf '%s\n' "refs/heads/main $(git rev-parse HEAD) refs/heads/main $(git rev-parse origin/main)" | pushguard origin "$(git remote get-url origin)"`
}

// Main runs pushguard and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c cli
	kctx, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Stop a git push that would send secrets or oversized non-LFS files, or that the Hub token cannot make."),
		kong.Vars{
			"verbose_help":    "Also print a summary when the push is clean.",
			"timeout_help":    "Give up on the Hub check after this long.",
			"timeout_default": "10s",
		})
	if done {
		return code
	}
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		log, closeLog := c.OpenLog(name, stderr)
		defer closeLog()
		cwd, _ := os.Getwd()
		setup, err := scanconf.Load("", cwd)
		if err != nil {
			return err
		}
		kctx.BindTo(ctx, (*context.Context)(nil))
		kctx.Bind(log, setup, clikit.Stdio{In: stdin, Out: stdout, Err: stderr})
		return kctx.Run()
	})
}

// notRepoHint is the next step when pushguard runs outside a repository.
const notRepoHint = "run pushguard inside the repository being pushed (git runs hooks there)"

// Run is the hook: check every update git is about to push.
func (c *cli) Run(ctx context.Context, log *logrus.Logger, setup *scanconf.Setup, std clikit.Stdio) error {
	cwd, _ := os.Getwd()
	cfg, stdin, stdout := setup.File, std.In, std.Out
	baseline, err := setup.Baseline("", cwd)
	if err != nil {
		return err
	}

	remote, remoteURL := c.Remote, c.URL
	if remote == "" {
		remote = os.Getenv("PRE_COMMIT_REMOTE_NAME")
	}
	if remoteURL == "" {
		remoteURL = os.Getenv("PRE_COMMIT_REMOTE_URL")
	}
	updates, err := readUpdates(cwd, stdin)
	if err != nil {
		return err
	}

	hubHost := ""
	if u, err := url.Parse(os.Getenv("HF_ENDPOINT")); err == nil {
		hubHost = u.Host
	}
	g := &push.Guard{
		Dir:         cwd,
		Remote:      remote,
		URL:         remoteURL,
		Engine:      setup.Engine,
		Baseline:    baseline,
		MaxFileSize: maxFileSize(c, cfg.Pushguard, remoteURL),
		// secretscan's limit, not the LFS one: raising that ("github.com"
		// = "100MiB") must not let big files through unscanned.
		ScanMaxSize: setup.MaxSize(c.ScanMaxSize),
		HubHost:     hubHost,
		Live:        token.Live{HTTP: &http.Client{}, Retry: retry.Policy{MaxAttempts: 3}, Env: token.OSEnv(), UserAgent: clikit.UserAgent(name)},
		SkipHub:     c.NoHubCheck,
	}
	hubCtx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	rep, err := g.Check(ctx, hubCtx, updates)
	if in := clikit.InterruptedBy(ctx); in != nil {
		return in // the report would blame the Hub for the interruption
	}
	if err != nil {
		return gitError(err)
	}
	audit(log, rep)

	blocked := blockedBy(rep, c.Strict || cfg.Pushguard.Strict)
	wordHub(rep.Hub, c.Strict || cfg.Pushguard.Strict)
	ns, incomplete := notScanned(rep, c.AllowLarge)
	switch {
	case c.Format == "json":
		if err := writeJSON(stdout, rep, blocked, ns); err != nil {
			return err
		}
	case len(blocked) > 0 || len(incomplete) > 0 || len(rep.Warnings) > 0 || hubNeedsWords(rep) || c.Verbose:
		writeText(stdout, rep, ns)
	}
	if len(blocked) > 0 {
		msg := strings.Join(blocked, ", ")
		if len(incomplete) > 0 {
			msg += fmt.Sprintf("; %s not scanned", plural(len(incomplete), "file"))
		}
		return clikit.Errorf(clikit.ExitPolicy, "fix the above and push again; to push anyway (you take the risk): git push --no-verify",
			"push blocked: %s", msg)
	}
	if len(incomplete) > 0 {
		hint := "fetch or recreate what is missing and push again; to push anyway (you take the risk): git push --no-verify"
		if slices.ContainsFunc(incomplete, func(n report.NotScanned) bool { return strings.HasPrefix(n.Reason, "larger than") }) {
			hint = fmt.Sprintf("raise --scan-max-size or [scan] max_file_size (now %s) to scan them, or let them go unscanned with --allow-large; to push anyway: git push --no-verify", bytesize.Size(rep.ScanMaxSize))
		}
		return clikit.Errorf(clikit.ExitIncomplete, hint, "push not fully checked: %s", report.NotScannedSummary(incomplete))
	}
	return nil
}

// notScanned is what the check left out, for the report, and the part of
// it that leaves the check incomplete: all but binary files, and files
// over the scan limit when allowed. The same rule as secretscan's.
func notScanned(rep *push.Report, allowLarge bool) (ns, incomplete []report.NotScanned) {
	for _, s := range rep.NotScanned {
		n := report.NotScanned{Path: s.Path, Commit: s.Commit, Reason: s.Reason, Incomplete: s.Incomplete(allowLarge)}
		ns = append(ns, n)
		if n.Incomplete {
			incomplete = append(incomplete, n)
		}
	}
	return ns, incomplete
}

// readUpdates reads git's pre-push input, or builds the one update the
// pre-commit framework describes with PRE_COMMIT_FROM_REF/TO_REF.
func readUpdates(dir string, stdin io.Reader) ([]push.Update, error) {
	from, to := os.Getenv("PRE_COMMIT_FROM_REF"), os.Getenv("PRE_COMMIT_TO_REF")
	if to != "" {
		r, err := gitrepo.Open(dir, gitrepo.Options{})
		if gitcli.UseGit(err) {
			return updateViaGit(dir, from, to)
		}
		if err != nil {
			return nil, gitError(err)
		}
		defer r.Close()
		u := push.Update{LocalRef: "HEAD", RemoteRef: "HEAD", RemoteSHA: push.ZeroSHA}
		h, err := r.Resolve(to)
		if err != nil {
			return nil, clikit.Errorf(clikit.ExitUsage, "run pushguard from the pre-commit framework's pre-push stage", "PRE_COMMIT_TO_REF=%s: %w", to, err)
		}
		u.LocalSHA = h.String()
		if from != "" {
			if h, err := r.Resolve(from); err == nil {
				u.RemoteSHA = h.String()
			}
		}
		return []push.Update{u}, nil
	}
	updates, err := push.ParseUpdates(stdin)
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "pushguard reads git's pre-push input; install it as the pre-push hook (see hooks/pre-push)", "%w", err)
	}
	return updates, nil
}

// maxFileSize is the limit for this remote: the flag, else the host's entry
// in the configuration, else the configured default, else 10 MiB.
func maxFileSize(c *cli, p config.Pushguard, remoteURL string) int64 {
	if c.MaxFileSize > 0 {
		return int64(c.MaxFileSize)
	}
	if host := hub.RemoteHost(remoteURL); host != "" {
		for h, size := range p.MaxFileSizeByHost {
			if strings.EqualFold(h, host) {
				return int64(size)
			}
		}
	}
	if p.MaxFileSize > 0 {
		return int64(p.MaxFileSize)
	}
	return push.DefaultMaxFileSize
}

// gitError gives a repository problem its exit code and hint; anything
// else could not be checked either (3).
func gitError(err error) error {
	if e := scanconf.GitError(err, notRepoHint); e != nil {
		return e
	}
	return err
}

// blockedBy lists what stops the push.
func blockedBy(rep *push.Report, strict bool) []string {
	var out []string
	if n := scan.Failing(rep.Secrets); n > 0 { // informational ones do not block
		out = append(out, plural(n, "secret"))
	}
	if n := len(rep.LargeFiles); n > 0 {
		out = append(out, plural(n, "file")+" too large for git without LFS")
	}
	if rep.Hub != nil && rep.Hub.Blocking(strict) {
		out = append(out, "the Hugging Face token is "+string(rep.Hub.Status))
	}
	return out
}

// hubNeedsWords reports a Hub result worth printing though it blocks nothing.
func hubNeedsWords(rep *push.Report) bool {
	return rep.Hub != nil && (rep.Hub.Status != token.Valid || rep.Hub.EmbeddedToken)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
