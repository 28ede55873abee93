package hubupload

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/hub"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/retry"
	"github.com/tokenguard/tokenguard/internal/token"
)

// uploadCmd uploads files and folders to one repository.
type uploadCmd struct {
	RepoID      string   `arg:"" name:"repo-id" help:"Repository to upload to, as namespace/name."`
	Paths       []string `arg:"" name:"path" predictor:"file" help:"Files and folders to upload. A folder's content keeps its relative paths; a file keeps its name."`
	RepoType    string   `name:"repo-type" default:"model" enum:"model,dataset,space" help:"Repository type: ${enum}."`
	Revision    string   `default:"main" help:"Branch to commit to."`
	PathInRepo  string   `name:"path-in-repo" placeholder:"DIR" help:"Folder of the repository to upload into (default: the root)."`
	Include     []string `placeholder:"GLOB" help:"Upload only files matching GLOB (relative to the folder given; * also matches /); repeatable."`
	Exclude     []string `placeholder:"GLOB" help:"Do not upload files matching GLOB; repeatable."`
	Message     string   `short:"m" placeholder:"MSG" help:"Commit summary (default: \"Upload N files with hubupload\")."`
	Description string   `placeholder:"TEXT" help:"Commit description."`
	Create      bool     `help:"Create the repository when it does not exist."`
	Private     bool     `help:"With --create: make the new repository private."`
	Delete      []string `placeholder:"GLOB" help:"Also delete remote files under --path-in-repo matching GLOB, except those being uploaded and .gitattributes; repeatable."`
	DryRun      bool     `name:"dry-run" help:"Check the token, ask the Hub and hash, then print what would be uploaded, without sending or committing anything."`
	Format      string   `short:"f" default:"text" enum:"text,json" help:"Output: ${enum}."`
	Parallel    int      `default:"8" help:"Storage requests (file parts) sent at once."`
	NoProgress  bool     `name:"no-progress" help:"No progress bars, even on a terminal."`
}

// Help implements kong's HelpProvider.
func (uploadCmd) Help() string {
	return `The token (HF_TOKEN, HUGGING_FACE_HUB_TOKEN or the token file, as the Hub's
own clients find it) is checked before anything is read: it must be valid
and able to write to the repository. Then the Hub decides which files go
to LFS, every file is hashed once while the LFS objects are uploaded
(large ones in parts, each retried on its own), and everything is committed
in one commit. Files already on the Hub with the same content are skipped;
when nothing changed there is no commit.

Every request is retried on 408, 429, 500, 502, 503, 504 and network
errors with backoff (waits of up to 1, 2, 4, 8, 8 s), honouring
Retry-After. The commit is sent again only after checking it did not land.

Resume: run the same command again after an interruption (Ctrl-C, a
killed process, a lost network). Objects the Hub already has are not sent
again. An upload interrupted before its commit commits nothing: the
repository is unchanged. Interrupted during the commit request, the commit
may have landed: the re-run then finds every file unchanged.

Existing files at the same paths are overwritten by the commit.
Directories .git and .cache/huggingface are never uploaded, nor files the
repository's .gitignore ignores.

` + clikit.ExitCodesHelp + ` An invalid token, one that cannot write, or a
missing repository (without --create) gives 1; a Hub still failing after
retries or an unreadable file gives 3.

Examples:
  $ hubupload alice/llama-ft ./checkpoint
  $ hubupload alice/llama-ft model.safetensors config.json --message "Epoch 3"
  $ hubupload ml-team/corpus ./data --repo-type dataset --path-in-repo v2 --exclude "*.tmp"
  $ hubupload alice/new-model ./out --create --private
  $ hubupload alice/llama-ft ./checkpoint --dry-run`
}

// Validate implements kong's Validatable for rules that span flags.
func (c *uploadCmd) Validate() error {
	if c.Private && !c.Create {
		return errors.New("--private only applies with --create")
	}
	// An empty one is missing, which kong says next.
	if _, _, err := hub.ParseRepo(c.RepoID); c.RepoID != "" && (err != nil || strings.Contains(c.RepoID, ":")) {
		return fmt.Errorf("repository %q is not of the form namespace/name (use --repo-type for datasets and spaces)", c.RepoID)
	}
	if c.Parallel < 1 {
		return errors.New("--parallel must be at least 1")
	}
	return nil
}

// usageError is a bad argument: exit 2.
func usageError(format string, args ...any) error {
	return clikit.Errorf(clikit.ExitUsage, "check the paths and patterns given; run 'hubupload --help' for usage", format, args...)
}

// userAgent names the tool to the Hub.
const userAgent = "tokenguard-hubupload/1"

// Run implements the command.
func (c *uploadCmd) Run(ctx context.Context, log *logrus.Logger, env token.Env, timeout time.Duration, std clikit.Stdio) error {
	d := &deps{stdout: std.Out, stderr: std.Err, log: log, env: env, ctx: ctx, timeout: timeout,
		interrupted: func() bool { return clikit.InterruptedBy(ctx) != nil }}
	started := time.Now()
	repo := hub.Repo{ID: c.RepoID, Type: c.RepoType, Revision: c.Revision}
	files, skipped, err := collect(c.Paths, c.PathInRepo, compileGlobs(c.Include), compileGlobs(c.Exclude))
	if err != nil {
		return err
	}
	for _, s := range skipped {
		d.log.WithField("event", "skip").Warnf("skipped %s: %s", s.Path, s.Reason)
	}
	if len(files) == 0 && len(c.Delete) == 0 {
		return usageError("nothing to upload: no file in %s matches --include/--exclude", strings.Join(c.Paths, ", "))
	}
	fields := logrus.Fields{"repo": repo.ID, "repo_type": repo.Type, "revision": repo.Revision}

	// Pre-flight: the token must work and be able to write, before a byte is read.
	cred, exists, err := c.preflight(d, repo, fields)
	if err != nil {
		return err
	}
	fields["fingerprint"], fields["masked"] = cred.Fingerprint(), cred.Masked()
	d.log.WithFields(fields).WithFields(logrus.Fields{"event": "preflight", "status": "ok", "exists": exists}).Info("pre-flight passed")
	client := c.client(d, cred, fields)

	if !exists && c.Create && !c.DryRun {
		// The pre-flight found no repository: create it.
		if _, err := client.CreateRepo(ctx, repo, c.Private); err != nil {
			return c.failure(d, "create the repository", err)
		}
		d.log.WithFields(fields).WithField("event", "create").Infof("created %s", repo)
	}
	parent := ""
	if !(c.DryRun && c.Create && !exists) {
		if parent, err = client.Head(ctx, repo); err != nil {
			return c.failure(d, "read the branch", err)
		}
	}

	up := &hub.Upload{Client: client, Repo: repo, Files: files, Parallel: c.Parallel}
	var deletes []string
	out := newOutput(d, c, files)
	out.skipped = skipped
	defer out.close()
	if len(files) > 0 && parent != "" {
		if err := up.Plan(ctx); err != nil {
			return c.failure(d, "preupload", err)
		}
	} else {
		// A repository about to be created has nothing to compare with.
		for _, f := range files {
			f.LFS = f.Size > 10<<20
		}
	}
	d.log.WithFields(fields).WithFields(logrus.Fields{"event": "plan", "files": len(files)}).Infof("planned %d files", len(files))
	if len(c.Delete) > 0 && parent != "" {
		remote, err := client.ListFiles(ctx, repo)
		if err != nil {
			return c.failure(d, "list the repository's files", err)
		}
		deletes = deletions(remote, c.PathInRepo, compileGlobs(c.Delete), files)
	}

	up.Events = out.events()
	up.Events.Batch = func(objects, toSend int) {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "lfs-batch", "objects": objects, "to_send": toSend}).
			Infof("LFS batch: %d objects, %d to send", objects, toSend)
	}
	up.DryRun = c.DryRun
	err = up.Send(ctx)
	out.stopProgress()
	if err != nil {
		return c.failure(d, "upload", err)
	}
	summary := out.summary(repo, deletes, time.Since(started))
	d.log.WithFields(fields).WithFields(logrus.Fields{"event": "transfer", "files_sent": summary.Uploaded, "files_stored": summary.Stored,
		"files_unchanged": summary.Unchanged, "bytes_sent": summary.BytesSent}).Infof("sent %d LFS objects", summary.Uploaded)

	ops := up.Operations(deletes)
	if c.DryRun || len(ops) == 0 {
		summary.DryRun, summary.WouldCreate = c.DryRun, c.DryRun && !exists
		return out.finish(summary)
	}
	if d.interrupted() {
		return c.failure(d, "upload", d.ctx.Err())
	}
	msg := c.Message
	if msg == "" {
		msg = fmt.Sprintf("Upload %d files with hubupload", len(ops)-len(deletes))
		if len(ops) == len(deletes) {
			msg = fmt.Sprintf("Delete %d files with hubupload", len(deletes))
		}
	}
	// Ctrl-C stops here too, within a second like everywhere else: the
	// commit is one request, which may land or not; a re-run finds out.
	cctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	res, err := client.Commit(cctx, repo, hub.CommitRequest{Summary: msg, Description: c.Description, Parent: parent, Ops: ops})
	if err != nil {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "commit", "status": "failed"}).Info("commit failed")
		return c.failure(d, "commit", err)
	}
	d.log.WithFields(fields).WithFields(logrus.Fields{"event": "commit", "status": "ok", "commit": res.OID,
		"operations": len(ops), "recovered": res.Recovered}).Infof("committed %s", res.OID)
	summary.CommitOID, summary.CommitURL, summary.Deleted = res.OID, res.URL, len(deletes)
	return out.finish(summary)
}

// preflight finds the token and checks, live, that it can write to the
// repository. exists is true when the repository exists (so there is no
// need to create it); with --create a missing one is not an error.
func (c *uploadCmd) preflight(d *deps, repo hub.Repo, fields logrus.Fields) (cred token.Credential, exists bool, err error) {
	hf := token.HF{}
	creds := hf.Discover(d.env)
	for _, c := range creds {
		redact.Secret(c.Value)
	}
	if len(creds) == 0 {
		return cred, false, clikit.Errorf(clikit.ExitPolicy, hf.MissingHint(), "no Hugging Face token found")
	}
	cred = creds[0]
	checker := &token.Checker{Env: d.env, HTTP: &http.Client{}, Retry: retry.Default(), Log: d.log, Timeout: d.timeout, Now: time.Now}
	req := token.Requirement{Provider: "hf", Level: "write", Repo: repo.ID, RepoType: repo.Type}
	r := checker.Check(d.ctx, []token.Requirement{req})[0]
	if d.interrupted() {
		return cred, false, clikit.Interruptedf("run the same command again", "during the pre-flight: nothing was sent")
	}
	switch r.Status {
	case token.Valid:
		return cred, true, nil
	case token.Unknown:
		return cred, false, clikit.Errorf(clikit.ExitIncomplete, "check the network (or HF_ENDPOINT) and run hubupload again", "pre-flight: %s", r.Reason)
	case token.Unreadable:
		return cred, false, clikit.Errorf(clikit.ExitIncomplete, r.Hint, "pre-flight: %s", r.Reason)
	case token.Insufficient:
		if c.Create && r.Kind == token.KindRepoNotFound {
			return cred, false, nil
		}
		hint := r.Hint
		if r.Kind == token.KindRepoNotFound {
			hint = "check the repository id and --repo-type, or pass --create to create it"
		}
		return cred, false, clikit.Errorf(clikit.ExitPolicy, hint, "pre-flight: %s (%s, %s)", r.Reason, r.Source, r.Masked)
	default:
		return cred, false, clikit.Errorf(clikit.ExitPolicy, r.Hint, "pre-flight: %s: %s (%s, %s)", r.Status, r.Reason, r.Source, r.Masked)
	}
}

// client builds the Hub client, its retries logged.
func (c *uploadCmd) client(d *deps, cred token.Credential, fields logrus.Fields) *hub.Client {
	endpoint := strings.TrimRight(strings.TrimSpace(d.env.Get("HF_ENDPOINT")), "/")
	if endpoint == "" {
		endpoint = "https://huggingface.co"
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = c.Parallel + 2
	transport.ResponseHeaderTimeout = 5 * time.Minute
	transport.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	transport.WriteBufferSize = 256 << 10
	policy := retry.Default()
	policy.OnRetry = func(a retry.Attempt) {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "retry", "attempt": a.Number, "http_status": a.StatusCode}).
			Infof("attempt %d failed (%v); retrying in %s", a.Number, a.Err, a.Delay.Round(time.Millisecond))
	}
	return &hub.Client{Endpoint: endpoint, Token: cred.Value, HTTP: &http.Client{Transport: transport}, Retry: policy, UserAgent: userAgent}
}

// failure turns an error of a step into the message, hint and exit code.
func (c *uploadCmd) failure(d *deps, step string, err error) error {
	d.log.WithFields(logrus.Fields{"event": "failure", "step": step, "status": "failed"}).Info(err.Error())
	resume := "run the same command again to resume: what the Hub already has is not sent again"
	if d.interrupted() {
		if step == "commit" {
			return clikit.Interruptedf(resume+"; if the commit landed, the re-run finds every file unchanged", "the commit was sent and may have landed")
		}
		return clikit.Interruptedf(resume, "nothing was committed, the repository is unchanged")
	}
	var he *hub.Error
	switch {
	case errors.Is(err, hub.ErrBranchMoved):
		return clikit.Errorf(clikit.ExitIncomplete, "someone else committed to --revision "+c.Revision+" meanwhile; "+resume, "%v", err)
	case errors.As(err, &he) && he.StatusCode == http.StatusUnauthorized:
		return clikit.Errorf(clikit.ExitPolicy, "the token was rejected: check it with `tokencheck hf:write`", "%v", err)
	case errors.As(err, &he) && he.StatusCode == http.StatusForbidden:
		return clikit.Errorf(clikit.ExitPolicy, "use a token that can write to "+c.RepoID, "%v", err)
	case errors.As(err, &he) && he.StatusCode == http.StatusNotFound && step == "read the branch":
		return clikit.Errorf(clikit.ExitPolicy, "check --revision: the branch must exist", "%v", err)
	case errors.As(err, &he):
		return clikit.Errorf(clikit.ExitIncomplete, "the Hub refused the request as shown; fix what it says, then "+resume, "%v", err)
	}
	stage := "nothing was committed, the repository is unchanged"
	if step == "commit" {
		stage = "the commit did not go through"
	}
	return clikit.Errorf(clikit.ExitIncomplete, resume, "%v (%s)", err, stage)
}
