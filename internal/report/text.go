package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Text groups findings by file, one line each, then lists what was left
// unread, with closing counts of both. Binary files (and files over the
// limit, when accepted) are counted, not listed: a tree has many. A clean,
// complete scan writes nothing, binary files or not: the commit hook stays
// quiet (-v and the other formats list them).
type Text struct{}

func (Text) Write(w io.Writer, fs []scan.Finding, opts Options) error {
	if len(fs) == 0 && !slices.ContainsFunc(opts.NotScanned, func(n NotScanned) bool { return n.Incomplete }) {
		return nil
	}
	bw := bufio.NewWriter(w)
	writeFindings(bw, fs, opts)
	unread := 0
	for _, n := range opts.NotScanned {
		if !n.Incomplete {
			continue
		}
		if unread == 0 {
			if len(fs) > 0 {
				fmt.Fprintln(bw)
			}
			fmt.Fprintln(bw, "not scanned:")
		}
		unread++
		head := n.Path
		if n.Commit != "" {
			head += " @ " + shortCommit(n.Commit)
		}
		fmt.Fprintf(bw, "  %s  %s\n", head, n.Reason)
	}
	if len(fs) > 0 || unread > 0 {
		fmt.Fprintln(bw)
	}
	if len(fs) > 0 {
		failing := scan.Failing(fs)
		line := fmt.Sprintf("%s in %s", plural(failing, "secret"), plural(countFiles(fs), "file"))
		if n := len(fs) - failing; n > 0 && failing == 0 {
			line = fmt.Sprintf("%s in %s (public by design: reported, not failed)", plural(n, "informational finding"), plural(countFiles(fs), "file"))
		} else if n > 0 {
			line += fmt.Sprintf(" (and %d informational, which do not fail the scan)", n)
		}
		fmt.Fprintln(bw, line)
	}
	if line := NotScannedSummary(opts.NotScanned); line != "" {
		fmt.Fprintln(bw, line)
	}
	return bw.Flush()
}

func countFiles(fs []scan.Finding) int {
	n, last := 0, "\x00"
	for _, f := range fs {
		if key := f.Repository + "\x00" + f.File + "\x00" + f.Commit; key != last {
			n, last = n+1, key
		}
	}
	return n
}

// writeFindings writes the findings grouped by file (and commit).
func writeFindings(bw *bufio.Writer, fs []scan.Finding, opts Options) {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	width, valWidth := 0, 0
	for _, f := range fs {
		width = max(width, len(f.RuleID))
		valWidth = max(valWidth, utf8.RuneCountInString(shown(f, opts)))
	}
	last := "\x00"
	for _, f := range fs {
		key := f.Repository + "\x00" + f.File + "\x00" + f.Commit
		if key != last {
			if last != "\x00" {
				fmt.Fprintln(bw)
			}
			head := f.File
			if f.Repository != "" {
				head = f.Repository + ": " + f.File
			}
			if f.Commit != "" {
				head += " @ " + shortCommit(f.Commit)
			}
			fmt.Fprintln(bw, paint("1", head))
			last = key
		}
		val := shown(f, opts)
		pad := strings.Repeat(" ", valWidth-utf8.RuneCountInString(val))
		fmt.Fprintf(bw, "  %-9s %s%s  %s%s  %s", fmt.Sprintf("%d:%d", f.Line, f.Column), paint("31", f.RuleID), strings.Repeat(" ", width-len(f.RuleID)), val, pad, f.Description)
		if f.Verification != "" {
			fmt.Fprintf(bw, " [%s]", f.Verification)
		}
		if about := aboutSecret(f); about != "" {
			fmt.Fprintf(bw, " (%s)", about)
		}
		if f.Informational {
			fmt.Fprint(bw, " [informational]")
		}
		if f.Author != "" {
			fmt.Fprintf(bw, " (%s, %s)", f.Author, f.Date.Format("2006-01-02"))
		}
		fmt.Fprintln(bw)
		if f.Link != "" {
			fmt.Fprintf(bw, "  %-9s %s\n", "", f.Link)
		}
	}
}

// shown is the secret as the text report shows it, on one line.
func shown(f scan.Finding, opts Options) string {
	return strings.ReplaceAll(secret(f, opts), "\n", `\n`)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
