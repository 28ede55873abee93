package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// GitHub writes one workflow command per finding, which GitHub Actions turns
// into an error annotation on the file and line:
//
//	::error file=train.py,line=12,col=9,title=huggingface-token::Hugging Face user access token hf_…wxyz
type GitHub struct{}

func (GitHub) Write(w io.Writer, fs []scan.Finding, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		msg := f.Description + " " + secret(f, opts)
		if f.Verification != "" {
			msg += " [" + f.Verification + "]"
		}
		fmt.Fprintf(bw, "::error file=%s,line=%d,col=%d,title=%s::%s\n",
			escapeProperty(f.File), f.Line, f.Column, escapeProperty("secretscan "+f.RuleID), escapeData(msg))
	}
	return bw.Flush()
}

// escapeData and escapeProperty follow the workflow command escaping of
// @actions/core.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
