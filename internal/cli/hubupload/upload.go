package hubupload

import (
	"context"
	"errors"
	"fmt"
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

	out := newOutput(d, c, files)
	out.skipped = skipped
	defer out.close()
	job := &hub.Job{Client: c.client(d, cred, fields), Repo: repo, Files: files, Parallel: c.Parallel,
		Exists: exists, Create: c.Create, Private: c.Private, DryRun: c.DryRun,
		Summary: c.summary, Description: c.Description, Events: out.events()}
	if len(c.Delete) > 0 {
		job.Deletions = func(remote []hub.RemoteFile) []string {
			return deletions(remote, c.PathInRepo, compileGlobs(c.Delete), files)
		}
	}
	var took time.Duration // up to the commit, as the summary reports it
	job.Events.Created = func() { d.log.WithFields(fields).WithField("event", "create").Infof("created %s", repo) }
	job.Events.Planned = func(n int) {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "plan", "files": n}).Infof("planned %d files", n)
	}
	job.Events.Batch = func(objects, toSend int) {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "lfs-batch", "objects": objects, "to_send": toSend}).
			Infof("LFS batch: %d objects, %d to send", objects, toSend)
	}
	job.Events.Transferred = func() {
		took = time.Since(started)
		s := out.summary(repo, nil, took)
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "transfer", "files_sent": s.Uploaded, "files_stored": s.Stored,
			"files_unchanged": s.Unchanged, "bytes_sent": s.BytesSent}).Infof("sent %d LFS objects", s.Uploaded)
	}
	res, err := job.Run(d.ctx)
	out.stopProgress()
	if err != nil {
		var se *hub.StepError
		if errors.As(err, &se) && se.Step == hub.StepCommit {
			d.log.WithFields(fields).WithFields(logrus.Fields{"event": "commit", "status": "failed"}).Info("commit failed")
		}
		return c.failure(d, err)
	}
	summary := out.summary(repo, res.Deletions, took)
	if res.Operations == 0 { // nothing committed
		summary.DryRun, summary.WouldCreate = c.DryRun, c.DryRun && !exists
		return out.finish(summary)
	}
	d.log.WithFields(fields).WithFields(logrus.Fields{"event": "commit", "status": "ok", "commit": res.Commit.OID,
		"operations": res.Operations, "recovered": res.Commit.Recovered}).Infof("committed %s", res.Commit.OID)
	summary.CommitOID, summary.CommitURL, summary.Deleted = res.Commit.OID, res.Commit.URL, len(res.Deletions)
	return out.finish(summary)
}

// summary is the commit summary: --message, else what the commit does.
func (c *uploadCmd) summary(files, deletions int) string {
	switch {
	case c.Message != "":
		return c.Message
	case files == 0:
		return fmt.Sprintf("Delete %d files with hubupload", deletions)
	}
	return fmt.Sprintf("Upload %d files with hubupload", files)
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
	checker := &token.Checker{Env: d.env, HTTP: &http.Client{}, Retry: retry.Default(), Log: d.log, Timeout: d.timeout, Now: time.Now,
		UserAgent: clikit.UserAgent(name)}
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
	policy := retry.Default()
	policy.OnRetry = func(a retry.Attempt) {
		d.log.WithFields(fields).WithFields(logrus.Fields{"event": "retry", "attempt": a.Number, "http_status": a.StatusCode}).
			Infof("attempt %d failed (%v); retrying in %s", a.Number, a.Err, a.Delay.Round(time.Millisecond))
	}
	return &hub.Client{Endpoint: hub.Endpoint(d.env.Get("HF_ENDPOINT")), Token: cred.Value, HTTP: hub.NewHTTP(c.Parallel),
		Retry: policy, UserAgent: clikit.UserAgent(name)}
}

// failure turns a failed step of the upload into the message, hint and
// exit code.
func (c *uploadCmd) failure(d *deps, err error) error {
	step, kind := hub.StepSend, hub.KindIncomplete
	var se *hub.StepError
	if errors.As(err, &se) {
		step, kind = se.Step, se.Kind()
	}
	d.log.WithFields(logrus.Fields{"event": "failure", "step": string(step), "status": "failed"}).Info(err.Error())
	resume := "run the same command again to resume: what the Hub already has is not sent again"
	if d.interrupted() {
		if step == hub.StepCommit {
			return clikit.Interruptedf(resume+"; if the commit landed, the re-run finds every file unchanged", "the commit was sent and may have landed")
		}
		return clikit.Interruptedf(resume, "nothing was committed, the repository is unchanged")
	}
	switch {
	case kind == hub.KindBranchMoved:
		return clikit.Errorf(clikit.ExitIncomplete, "someone else committed to --revision "+c.Revision+" meanwhile; "+resume, "%v", err)
	case kind == hub.KindRejected:
		return clikit.Errorf(clikit.ExitPolicy, "the token was rejected: check it with `tokencheck hf:write`", "%v", err)
	case kind == hub.KindForbidden:
		return clikit.Errorf(clikit.ExitPolicy, "use a token that can write to "+c.RepoID, "%v", err)
	case kind == hub.KindMissing && step == hub.StepHead:
		return clikit.Errorf(clikit.ExitPolicy, "check --revision: the branch must exist", "%v", err)
	case kind != hub.KindIncomplete:
		return clikit.Errorf(clikit.ExitIncomplete, "the Hub refused the request as shown; fix what it says, then "+resume, "%v", err)
	}
	stage := "nothing was committed, the repository is unchanged"
	if step == hub.StepCommit {
		stage = "the commit did not go through"
	}
	return clikit.Errorf(clikit.ExitIncomplete, resume, "%v (%s)", err, stage)
}
