// Package pushguard is the pushguard command line: git's pre-push hook,
// with one report of every check before the verdict.
package pushguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/gitrepo"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/push"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
	"github.com/tokenguard/tokenguard/internal/token"
)

const name = "pushguard"

// cli is the whole command line: one command, the hook itself.
type cli struct {
	Remote      string           `arg:"" optional:"" help:"The remote's name, as git passes it (default: PRE_COMMIT_REMOTE_NAME, else none)."`
	URL         string           `arg:"" optional:"" help:"The remote's URL, as git passes it (default: PRE_COMMIT_REMOTE_URL)."`
	MaxFileSize config.Size      `name:"max-file-size" placeholder:"SIZE" env:"TOKENGUARD_MAX_FILE_SIZE" help:"Files above SIZE must be in LFS (default 10MiB, the Hub's limit; also [pushguard] max_file_size)."`
	ScanMaxSize config.Size      `name:"scan-max-size" placeholder:"SIZE" help:"Scan files up to SIZE for secrets (default: [scan] max_file_size, else 10MiB); larger ones are listed as not scanned and stop the push (exit 3) unless --allow-large."`
	AllowLarge  bool             `name:"allow-large" env:"TOKENGUARD_ALLOW_LARGE" help:"Let files over the scan limit go unscanned: still listed, but no longer exit 3."`
	Strict      bool             `help:"Block the push when the Hub cannot be reached (default: warn and let it go)."`
	NoHubCheck  bool             `name:"no-hub-check" help:"Do not check the Hugging Face token, even for a Hub remote."`
	Timeout     time.Duration    `default:"10s" help:"Give up on the Hub check after this long (default ${default})."`
	Format      string           `short:"f" default:"text" enum:"text,json" help:"Report format: ${enum} (default ${default})."`
	AuditLog    string           `name:"audit-log" env:"TOKENGUARD_AUDIT_LOG" placeholder:"PATH" help:"Append JSON audit entries to PATH (default \\$XDG_STATE_HOME/tokenguard/audit.log)."`
	NoAuditLog  bool             `name:"no-audit-log" help:"Write no audit log."`
	Verbose     bool             `short:"v" help:"Also print a summary when the push is clean."`
	Version     kong.VersionFlag `help:"Print the version and exit."`
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
	_, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Stop a git push that would send secrets or oversized non-LFS files, or that the Hub token cannot make."))
	if done {
		return code
	}
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		return run(ctx, &c, stdin, stdout, stderr)
	})
}

func run(ctx context.Context, c *cli, stdin io.Reader, stdout, stderr io.Writer) error {
	log, closeLog := clikit.OpenLog(name, stderr, c.AuditLog, c.NoAuditLog, c.Verbose)
	defer closeLog()

	cwd, _ := os.Getwd()
	cfg, cfgPath, err := config.Load(cwd)
	if err != nil {
		return clikit.Errorf(clikit.ExitUsage, "fix the file, or see the README for its keys", "%w", err)
	}
	engine, err := scan.New(scan.Config{Rules: cfg.Scan.Rules, Disable: cfg.Scan.Disable, Allowlists: cfg.Scan.Allowlists})
	if err != nil {
		return clikit.Errorf(clikit.ExitUsage, "fix the [scan] table of "+cfgPath, "%w", err)
	}
	baseline, err := loadBaseline(cfg, cfgPath, cwd)
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
		Engine:      engine,
		Baseline:    baseline,
		MaxFileSize: maxFileSize(c, cfg.Pushguard, remoteURL),
		ScanMaxSize: scanMaxSize(c, cfg.Scan),
		HubHost:     hubHost,
		Live:        token.Live{HTTP: &http.Client{}, Retry: retry.Policy{MaxAttempts: 3}, Env: token.OSEnv()},
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
			hint = fmt.Sprintf("raise --scan-max-size or [scan] max_file_size (now %s) to scan them, or let them go unscanned with --allow-large; to push anyway: git push --no-verify", config.HumanSize(rep.ScanMaxSize))
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

// scanMaxSize is the largest file scanned for secrets: the flag, else
// secretscan's [scan] max_file_size, else 10 MiB. It is not the LFS limit:
// raising that one ("github.com" = "100MiB") must not let big files through
// unscanned.
func scanMaxSize(c *cli, s config.Scan) int64 {
	if c.ScanMaxSize > 0 {
		return int64(c.ScanMaxSize)
	}
	if s.MaxFileSize > 0 {
		return s.MaxFileSize
	}
	return source.DefaultMaxSize
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

// defaultBaseline is the file `secretscan baseline` writes.
const defaultBaseline = ".secretscan-baseline.json"

// loadBaseline reads the accepted findings, as secretscan does: [scan]
// baseline (relative to the configuration file), else the default file in
// the current directory (git runs hooks at the top of the work tree) when
// it exists.
func loadBaseline(cfg config.File, cfgPath, cwd string) (*scan.Baseline, error) {
	path := cfg.Scan.Baseline
	switch {
	case path == "":
		path = filepath.Join(cwd, defaultBaseline)
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
	case cfgPath != "" && !filepath.IsAbs(path):
		path = filepath.Join(filepath.Dir(cfgPath), path)
	}
	bl, err := scan.LoadBaseline(path)
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "create it with 'secretscan baseline', or fix [scan] baseline", "%w", err)
	}
	return bl, nil
}

// gitError gives repository problems the exit code 3 and a hint.
func gitError(err error) error {
	switch {
	case errors.Is(err, gitrepo.ErrNotRepository):
		return clikit.Errorf(clikit.ExitIncomplete, "run pushguard inside the repository being pushed (git runs hooks there)", "%w", err)
	case errors.Is(err, gitrepo.ErrMissingObject), errors.Is(err, gitrepo.ErrCorrupt):
		return clikit.Errorf(clikit.ExitIncomplete, "the repository is missing objects or has corrupt ones: run git fsck", "%w", err)
	}
	return clikit.Errorf(clikit.ExitIncomplete, "", "%w", err)
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
