package hub

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Job is one upload to one branch once the token is known to work:
// create the repository if asked, read the branch head, plan (preupload),
// pick the deletions, send, and commit everything in one commit.
type Job struct {
	Client *Client
	Repo   Repo
	Files  []*LocalFile
	// Parallel is how many storage requests run at once; 0 is 8.
	Parallel int
	// Exists is whether the repository exists (the pre-flight's finding).
	// A missing one is created first when Create is set.
	Exists, Create, Private bool
	// DryRun hashes and asks the Hub, but sends and commits nothing.
	DryRun bool
	// Deletions picks, from the branch's files, the paths to delete in the
	// same commit; nil deletes nothing.
	Deletions func(remote []RemoteFile) []string
	// Summary words the commit summary from the number of files and of
	// deletions committed.
	Summary     func(files, deletions int) string
	Description string
	Events      Events
}

// JobResult is what a Job did.
type JobResult struct {
	Deletions []string
	// Commit is zero when nothing was committed: a dry run, or every file
	// already on the Hub with the same content.
	Commit CommitResult
	// Operations is the number of changes committed.
	Operations int
}

// commitTimeout bounds the commit request, retries included.
const commitTimeout = 10 * time.Minute

// Run runs the job. Its errors are *StepError: which step failed, and of
// what Kind. Nothing is committed unless every file was sent.
func (j *Job) Run(ctx context.Context) (JobResult, error) {
	var res JobResult
	parent, err := j.branch(ctx)
	if err != nil {
		return res, err
	}
	up := &Upload{Client: j.Client, Repo: j.Repo, Files: j.Files, Parallel: j.Parallel, DryRun: j.DryRun, Events: j.Events}
	if err := j.plan(ctx, up, parent); err != nil {
		return res, err
	}
	if j.Deletions != nil && parent != "" {
		remote, err := j.Client.ListFiles(ctx, j.Repo)
		if err != nil {
			return res, &StepError{StepList, err}
		}
		res.Deletions = j.Deletions(remote)
	}
	if err := up.Send(ctx); err != nil {
		return res, &StepError{StepSend, err}
	}
	call(j.Events.Transferred)
	ops := up.Operations(res.Deletions)
	if j.DryRun || len(ops) == 0 {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return res, &StepError{StepSend, err} // stopped before the commit: nothing changed
	}
	// Ctrl-C (ctx) stops the commit too: it is one request, which may
	// have landed or not, and a re-run finds out. The bound keeps a stuck
	// one from hanging forever.
	cctx, cancel := context.WithTimeout(ctx, commitTimeout)
	defer cancel()
	cr := CommitRequest{Summary: j.Summary(len(ops)-len(res.Deletions), len(res.Deletions)), Description: j.Description, Parent: parent, Ops: ops}
	commit, err := j.Client.Commit(cctx, j.Repo, cr)
	if err != nil {
		return res, &StepError{StepCommit, err}
	}
	res.Commit, res.Operations = commit, len(ops)
	return res, nil
}

// branch creates the repository when asked to and returns the head of the
// branch to commit on: "" in a dry run for a repository still to create.
func (j *Job) branch(ctx context.Context) (string, error) {
	missing := !j.Exists && j.Create
	if missing && j.DryRun {
		return "", nil
	}
	if missing {
		if _, err := j.Client.CreateRepo(ctx, j.Repo, j.Private); err != nil {
			return "", &StepError{StepCreate, err}
		}
		call(j.Events.Created)
	}
	parent, err := j.Client.Head(ctx, j.Repo)
	if err != nil {
		return "", &StepError{StepHead, err}
	}
	return parent, nil
}

// plan asks the Hub how to upload each file. Without a branch there is
// nothing to ask: files are guessed as the Hub would for a new repository.
func (j *Job) plan(ctx context.Context, up *Upload, parent string) error {
	if len(j.Files) > 0 && parent != "" {
		if err := up.Plan(ctx); err != nil {
			return &StepError{StepPlan, err}
		}
	} else {
		for _, f := range j.Files {
			f.LFS = f.Size > regularLimit
		}
	}
	if j.Events.Planned != nil {
		j.Events.Planned(len(j.Files))
	}
	return nil
}

// call calls an optional event.
func call(event func()) {
	if event != nil {
		event()
	}
}

// regularLimit is the largest regular (non-LFS) file the Hub accepts.
const regularLimit = 10 << 20

// Step is a step of a Job, as messages name it.
type Step string

// The steps of a Job.
const (
	StepCreate Step = "create the repository"
	StepHead   Step = "read the branch"
	StepPlan   Step = "preupload"
	StepList   Step = "list the repository's files"
	StepSend   Step = "upload"
	StepCommit Step = "commit"
)

// StepError is a failed step of a Job. Its text is the cause's.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string { return e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Kind is what went wrong, for the caller to word the next step.
type Kind int

// The kinds of failure.
const (
	// KindIncomplete: no answer (network, retries used up) or a local file
	// that could not be read; running the job again resumes it.
	KindIncomplete  Kind = iota
	KindBranchMoved      // someone else committed to the branch meanwhile (ErrBranchMoved)
	KindRejected         // the Hub rejected the token (401)
	KindForbidden        // the token may not write to the repository (403)
	KindMissing          // the repository or the branch does not exist (404)
	KindRefused          // any other refusal of the Hub, in its own words (*Error)
)

// Kind classifies the failure.
func (e *StepError) Kind() Kind {
	var he *Error
	switch {
	case errors.Is(e.Err, ErrBranchMoved):
		return KindBranchMoved
	case !errors.As(e.Err, &he):
		return KindIncomplete
	case he.StatusCode == http.StatusUnauthorized:
		return KindRejected
	case he.StatusCode == http.StatusForbidden:
		return KindForbidden
	case he.StatusCode == http.StatusNotFound:
		return KindMissing
	}
	return KindRefused
}
