package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/tokenguard/tokenguard/internal/report/workflow"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// GitHub writes one workflow command per finding, which GitHub Actions turns
// into an error annotation on the file and line:
//
//	::error file=train.py,line=12,col=9,title=secretscan huggingface-token::Hugging Face user access token hf_…wxyz
//
// File names and messages are escaped as the runner expects (see
// workflow), so a name with ":" or "," or a message with "%" arrives intact.
type GitHub struct{}

func (GitHub) Write(w io.Writer, fs []scan.Finding, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		msg := f.Description + " " + secret(f, opts)
		if f.Verification != "" {
			msg += " [" + f.Verification + "]"
		}
		if about := aboutSecret(f); about != "" {
			msg += " (" + about + ")"
		}
		title := opts.Tool + " " + f.RuleID
		if f.Repository != "" {
			// Not a file of the checked-out repository: name where it is.
			title += " in " + f.Repository
			msg += " " + f.Link
		}
		props := []workflow.Property{
			{Key: "file", Value: f.File},
			{Key: "line", Value: strconv.Itoa(f.Line)},
			{Key: "col", Value: strconv.Itoa(f.Column)},
			{Key: "title", Value: title},
		}
		cmd := "error"
		if f.Informational {
			cmd = "notice" // public by design: annotated, not failed
		}
		if err := workflow.Command(bw, cmd, props, msg); err != nil {
			return err
		}
	}
	return bw.Flush()
}
