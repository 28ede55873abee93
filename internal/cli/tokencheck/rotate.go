package tokencheck

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/term"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/clock"
	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/rotate"
	"github.com/tokenguard/tokenguard/internal/statedir"
	"github.com/tokenguard/tokenguard/internal/token"
)

// rotateCmd moves a new token into every place the old one lives. It is
// reached as `tokenage rotate` too: tokenage runs this binary, because the
// shell fast path must not link network code.
type rotateCmd struct {
	Provider    string   `arg:"" enum:"hf,github,wandb,openai,anthropic,modal" help:"The provider whose token is replaced: ${enum}."`
	NewIdentity bool     `name:"new-identity" help:"Accept a new token of another user or organisation (or replace an old token that no longer works)."`
	DryRun      bool     `name:"dry-run" help:"Check the new token and print the plan; change nothing."`
	Secret      []string `name:"github-secret" placeholder:"OWNER/REPO[:NAME]" help:"Also update this repository's Actions secret (NAME defaults to the provider's variable, e.g. HF_TOKEN); repeatable."`
	EnvSecret   []string `name:"github-env" placeholder:"OWNER/REPO/ENVIRONMENT[:NAME]" help:"Also update this deployment environment's secret; repeatable."`
	OrgSecret   []string `name:"github-org-secret" placeholder:"ORG[:NAME]" help:"Also update this organisation's Actions secret (keeps its visibility); repeatable."`
}

// Help implements kong's HelpProvider.
func (rotateCmd) Help() string {
	return `The new token is read from a prompt that does not echo (on a terminal) or
from standard input: never from the command line or the environment. Modal
asks for the token id, then the secret (two lines on standard input).

Before anything is written the new token must work, belong to the same
owner (unless --new-identity) and have at least the old token's role. The
owner is the Hub user or organisation, the GitHub login (GET /user; an app
installation token has none, which the plan notes), the W&B username, the
OpenAI or Anthropic organisation (from their response headers) and Modal's
user@workspace. Roles: Hub write over read, GitHub classic scopes (GitHub
reports none for fine-grained and app tokens: noted, not compared). W&B,
OpenAI, Anthropic and Modal report no role for a key. Then the old value is found
by its fingerprint in the Hub token file and stored_tokens, ~/.git-credentials,
~/.netrc, ~/.modal.toml, gh's hosts.yml, the shell startup files, and the .env
files of the current repository. The plan is printed (values masked), each
file is replaced atomically with its mode kept and a copy of the old content
beside it (FILE.tokenguard-backup, 0600; removed at the end for files in a git
work tree, where it could be committed), and the GitHub secrets named are
updated through the REST API. Files are never staged or committed; a tracked
one is reported, since the old token is then in the history.

If a step fails, the files written are put back, the report names the GitHub
secrets that already hold the new value, and running the same command with
the same new token finishes the rotation.

` + clikit.ExitCodesHelp + ` The new token refused (invalid, another
user, a lesser role) gives 1 with nothing changed; a service that does not
answer, a write that fails, or a file that could not be read gives 3.

Examples:
  $ tokencheck rotate hf
  $ tokencheck rotate hf --dry-run < new-token.txt
  $ tokencheck rotate hf --github-secret alice/train --github-env alice/train/prod:HUB_TOKEN
  $ printf '%s\n%s\n' "$ID" "$SECRET" | tokencheck rotate modal --github-secret alice/train`
}

// Run implements the command.
func (c *rotateCmd) Run(ctx context.Context, log *logrus.Logger, env token.Env, std clikit.Stdio) error {
	var targets []rotate.Target
	for _, group := range []struct {
		kind, flag string
		values     []string
	}{{"repo", "--github-secret", c.Secret}, {"env", "--github-env", c.EnvSecret}, {"org", "--github-org-secret", c.OrgSecret}} {
		for _, v := range group.values {
			t, err := rotate.ParseTarget(group.kind, v)
			if err != nil {
				return clikit.Errorf(clikit.ExitUsage, "see tokencheck rotate --help for the form of "+group.flag, "%s: %w", group.flag, err)
			}
			if t.Name != "" && c.Provider == "modal" {
				return clikit.Errorf(clikit.ExitUsage, "leave out :NAME: Modal's pair goes to MODAL_TOKEN_ID and MODAL_TOKEN_SECRET", "%s %s names one secret for a pair", group.flag, v)
			}
			targets = append(targets, t)
		}
	}
	dir, err := statedir.Dir(os.Getenv)
	if err != nil {
		return clikit.Errorf(clikit.ExitIncomplete, "set XDG_STATE_HOME or HOME", "%w", err)
	}
	nc, err := readNewToken(c.Provider, std)
	if err != nil {
		return err
	}
	cwd, _ := os.Getwd()
	opts := rotate.Options{
		Provider: c.Provider, New: nc, NewIdentity: c.NewIdentity, Env: env, Cwd: cwd, StateDir: dir,
		Live: token.Live{HTTP: &http.Client{}, Retry: retry.Default(), Env: env, UserAgent: clikit.UserAgent(name)},
		Log:  log, Now: clock.Now, Targets: targets,
	}
	rot, err := rotate.Prepare(ctx, opts)
	if err != nil {
		return rotateError(err)
	}
	printPlan(std.Out, rot, targets, c.DryRun)
	for _, p := range rot.Places {
		if p.Tracked {
			log.WithField(authlog.FieldHint, "the old token is in the repository's history: revoke it, and see `secretscan history` for every commit that holds it").
				Warnf("%s is tracked by git: the old token was committed (the file is rewritten, never staged)", p.Shown)
		}
	}
	if c.DryRun {
		return unreadError(rot)
	}
	out, err := rot.Apply(ctx)
	printOutcome(std.Out, rot, out, err == nil)
	if err != nil {
		return rotateError(err)
	}
	if out.LedgerErr != nil {
		log.Warnf("the rotation was not recorded in the token-age ledger: %v", out.LedgerErr)
	}
	return unreadError(rot)
}

// readNewToken reads the new value: a no-echo prompt on a terminal, else
// one line of standard input per half.
func readNewToken(provider string, std clikit.Stdio) (credential.Credential, error) {
	prompts := []string{"new token"}
	if provider == "modal" {
		prompts = []string{"new token id", "new token secret"}
	}
	var values []string
	in, tty := std.In.(*os.File)
	tty = tty && term.IsTerminal(int(in.Fd()))
	lines := bufio.NewReader(std.In)
	for _, p := range prompts {
		var v string
		if tty {
			fmt.Fprintf(std.Err, "%s (not shown): ", p)
			b, err := term.ReadPassword(int(in.Fd()))
			fmt.Fprintln(std.Err)
			if err != nil {
				return credential.Credential{}, clikit.Errorf(clikit.ExitIncomplete, "run the command again", "could not read the %s: %w", p, err)
			}
			v = string(b)
		} else {
			line, err := lines.ReadString('\n')
			if err != nil && err != io.EOF {
				return credential.Credential{}, clikit.Errorf(clikit.ExitIncomplete, "run the command again", "could not read the %s from standard input: %w", p, err)
			}
			v = line
		}
		v = strings.TrimSpace(v)
		if v == "" {
			return credential.Credential{}, clikit.Errorf(clikit.ExitUsage, "type or paste the new token at the prompt, or pipe it on standard input (one line per value)", "no %s given", p)
		}
		values = append(values, v)
	}
	c := credential.Credential{Value: values[0]}
	if len(values) > 1 {
		c.Secret = values[1]
	}
	return c, nil
}

func rotateError(err error) error {
	switch e := err.(type) {
	case *rotate.Refused:
		hint := e.Hint
		switch e.Kind {
		case rotate.KindNoOld:
			hint = "put the old token where its clients read it (`tokencheck` shows where they look), or update the places by hand"
		case rotate.KindOldUnusable:
			hint = "pass --new-identity to replace it anyway"
		case rotate.KindOtherIdentity:
			hint = "create the token as " + e.Identity + ", or pass --new-identity if the change of account is meant"
		}
		return clikit.Errorf(clikit.ExitPolicy, hint, "not rotated: %s", e.Why)
	case *rotate.Incomplete:
		return clikit.Errorf(clikit.ExitIncomplete, e.Hint, "rotation incomplete: %s", e.Why)
	}
	return clikit.Errorf(clikit.ExitIncomplete, "run the same rotation again", "%w", err)
}

// unreadError fails closed: a file that could not be read may still hold
// the old value.
func unreadError(rot *rotate.Rotation) error {
	if len(rot.Unread) == 0 {
		return nil
	}
	names := make([]string, len(rot.Unread))
	for i, u := range rot.Unread {
		names[i] = u.Shown + " (" + u.Why + ")"
	}
	return clikit.Errorf(clikit.ExitIncomplete, "fix the file's permissions and run the same rotation again, or check it by hand",
		"could not read %s: it may still hold the old token", strings.Join(names, ", "))
}

func printPlan(w io.Writer, rot *rotate.Rotation, targets []rotate.Target, dry bool) {
	old := rot.OldMasked
	switch {
	case rot.Done:
		old = "fingerprint " + rot.OldFP + " (rotated before: every place checked again)"
	case rot.Resumed:
		old = "fingerprint " + rot.OldFP + " (finishing an earlier run)"
	}
	who := rot.Identity
	if rot.Role != "" {
		who += ", " + rot.Role
	}
	fmt.Fprintf(w, "rotate %s: %s → %s", rot.Provider(), old, rot.NewMasked)
	if who != "" {
		fmt.Fprintf(w, " (%s)", strings.TrimPrefix(who, ", "))
	}
	fmt.Fprintln(w)
	for _, n := range rot.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	verb := "will write"
	if dry {
		verb = "would write"
	}
	if len(rot.Places) == 0 && len(targets) == 0 {
		fmt.Fprintln(w, "  no file holds the old token")
	}
	for _, p := range rot.Places {
		lines := make([]string, len(p.Lines))
		for i, l := range p.Lines {
			lines[i] = fmt.Sprint(l)
		}
		extra := ""
		if p.Tracked {
			extra = "  [tracked by git: the old token was committed]"
		}
		fmt.Fprintf(w, "  %s %s line %s%s\n", verb, p.Shown, strings.Join(lines, ","), extra)
	}
	if h := rot.Helper; h != nil {
		fmt.Fprintf(w, "  %s the git credential helper's entry for %s (user %s)\n", verb, h.URL, h.Username)
	}
	for _, t := range targets {
		names := rotate.DefaultNames(rot.Provider())
		if t.Name != "" {
			names = []string{t.Name}
		}
		fmt.Fprintf(w, "  %s GitHub secret %s in %s\n", verb, strings.Join(names, ", "), t)
	}
	for _, u := range rot.Unread {
		fmt.Fprintf(w, "  cannot read %s: %s\n", u.Shown, u.Why)
	}
	if dry {
		fmt.Fprintln(w, "dry run: nothing changed")
	}
}

func printOutcome(w io.Writer, rot *rotate.Rotation, out rotate.Outcome, ok bool) {
	if !ok {
		if out.Restored {
			fmt.Fprintln(w, "failed: the files written were put back from their backups")
		}
		if len(out.Remote) == 0 {
			fmt.Fprintln(w, "no GitHub secret was changed")
		}
		for _, d := range out.Remote {
			fmt.Fprintf(w, "already holds the new token: GitHub secret %s in %s (updated %s)\n", d.Name, d.Target, d.UpdatedAt.UTC().Format(time.RFC3339))
		}
		fmt.Fprintln(w, "run the same command with the same new token to finish")
		return
	}
	for _, p := range out.Written {
		if p.InRepo {
			fmt.Fprintf(w, "updated %s (no backup kept: in a git work tree a copy of the old token could be committed)\n", p.Shown)
			continue
		}
		fmt.Fprintf(w, "updated %s (old content in %s)\n", p.Shown, p.Backup())
	}
	if out.Helper {
		fmt.Fprintf(w, "updated the git credential helper's entry for %s\n", rot.Helper.URL)
	}
	for _, d := range out.Remote {
		fmt.Fprintf(w, "updated GitHub secret %s in %s (updated_at %s)\n", d.Name, d.Target, d.UpdatedAt.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(w, "could not change (update by hand if they hold the old token):")
	for _, e := range rot.Elsewhere {
		fmt.Fprintf(w, "  - %s\n", e)
	}
	fmt.Fprintf(w, "now revoke the old token at %s\n", rotate.RevokePage(rot.Provider()))
}
