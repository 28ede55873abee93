package hubupload

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/hub"
)

// output shows how the upload goes: progress bars on a terminal, a line
// per file otherwise (text format), and the summary at the end.
type output struct {
	d      *deps
	format string
	files  []*hub.LocalFile
	dryRun bool
	// skipped are the links collect did not follow, listed in the summary.
	skipped []skippedLink

	mu       sync.Mutex
	lines    bool // print a line per file as it is decided
	pending  []*hub.LocalFile
	progress *mpb.Progress
	hashed   *mpb.Bar // bytes read for hashing
	total    *mpb.Bar // bytes sent, or found on the Hub already
	bars     map[*hub.LocalFile]*mpb.Bar
	sentOf   map[*hub.LocalFile]int64
	sent     int64
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func newOutput(d *deps, c *uploadCmd, files []*hub.LocalFile) *output {
	o := &output{d: d, format: c.Format, files: files, dryRun: c.DryRun, bars: map[*hub.LocalFile]*mpb.Bar{}, sentOf: map[*hub.LocalFile]int64{}}
	o.lines = c.Format == "text"
	if !c.NoProgress && isTerminal(d.stderr) && os.Getenv("TERM") != "dumb" {
		var total int64
		for _, f := range files {
			total += f.Size
		}
		o.progress = mpb.New(mpb.WithOutput(d.stderr), mpb.WithWidth(32), mpb.WithRefreshRate(150*time.Millisecond))
		overall := func(label string) *mpb.Bar {
			return o.progress.AddBar(total,
				mpb.PrependDecorators(decor.Name(label, decor.WC{W: 8}), decor.Counters(decor.SizeB1024(0), "% .1f / % .1f", decor.WC{W: 22})),
				mpb.AppendDecorators(decor.AverageSpeed(decor.SizeB1024(0), "% .1f", decor.WC{W: 12}), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
			)
		}
		o.hashed, o.total = overall("hashed"), overall("sent")
		// With bars on the terminal, file lines wait for the end.
		o.lines = false
	}
	return o
}

// bar returns the per-file bar of an upload, made on first use. The caller
// holds o.mu.
func (o *output) bar(f *hub.LocalFile) *mpb.Bar {
	if b, ok := o.bars[f]; ok {
		return b
	}
	name := f.Path
	if len(name) > 30 {
		name = "…" + name[len(name)-29:]
	}
	b := o.progress.AddBar(f.Size, mpb.BarRemoveOnComplete(),
		mpb.PrependDecorators(decor.Name(name, decor.WC{W: 31, C: decor.DindentRight})),
		mpb.AppendDecorators(decor.Counters(decor.SizeB1024(0), "% .1f / % .1f"), decor.Name(" "), decor.AverageSpeed(decor.SizeB1024(0), "% .1f")),
	)
	o.bars[f] = b
	return b
}

// events are the upload's callbacks.
func (o *output) events() hub.Events {
	return hub.Events{
		Hashed: func(f *hub.LocalFile, n int64) {
			if o.progress != nil {
				o.hashed.IncrInt64(n)
			}
		},
		Sent: func(f *hub.LocalFile, n int64) {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.sent += n
			o.sentOf[f] += n
			if o.progress != nil {
				o.total.IncrInt64(n)
				o.bar(f).IncrInt64(n)
			}
		},
		Done: o.done,
	}
}

// done is told when a file's fate is decided.
func (o *output) done(f *hub.LocalFile) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.progress != nil {
		// What was not sent will not be: count it as done.
		o.total.IncrInt64(f.Size - o.sentOf[f])
		if b, ok := o.bars[f]; ok {
			b.SetCurrent(f.Size)
		}
	}
	if o.lines {
		fmt.Fprintln(o.d.stdout, o.line(f))
	}
}

// line is a file's line in the text output.
func (o *output) line(f *hub.LocalFile) string {
	mode := "regular"
	if f.LFS {
		mode = "lfs"
	}
	return fmt.Sprintf("%-10s %-7s %10s  %s", o.verb(f.Action), mode, bytesize.Size(f.Size), f.Path)
}

// verb says what happened to a file, or would in a dry run.
func (o *output) verb(a hub.FileAction) string {
	switch a {
	case hub.Uploaded:
		if o.dryRun {
			return "would-send"
		}
		return "sent"
	case hub.Stored:
		return "on-hub"
	case hub.Inline:
		if o.dryRun {
			return "would-send"
		}
		return "inline"
	}
	return string(a)
}

// stopProgress removes the bars before the summary is printed.
func (o *output) stopProgress() {
	if o.progress == nil {
		return
	}
	o.total.Abort(true)
	o.hashed.Abort(true)
	for _, b := range o.bars {
		b.Abort(true)
	}
	o.progress.Wait()
	o.progress = nil
}

func (o *output) close() { o.stopProgress() }

// summary is the result of a run, the JSON output's shape.
type summary struct {
	OK     bool `json:"ok"`
	DryRun bool `json:"dry_run,omitempty"`
	// WouldCreate: a dry run with --create on a repository that does not exist.
	WouldCreate bool          `json:"would_create,omitempty"`
	Repo        string        `json:"repo"`
	RepoType    string        `json:"repo_type"`
	Revision    string        `json:"revision"`
	Uploaded    int           `json:"files_uploaded"`  // LFS objects sent now
	Stored      int           `json:"files_resumed"`   // LFS objects the Hub already had
	Inline      int           `json:"files_inline"`    // regular files sent in the commit
	Unchanged   int           `json:"files_unchanged"` // skipped: same content at the same path
	Ignored     int           `json:"files_ignored"`
	Deleted     int           `json:"files_deleted"`
	BytesSent   int64         `json:"bytes_uploaded"`
	CommitOID   string        `json:"commit_oid,omitempty"`
	CommitURL   string        `json:"commit_url,omitempty"`
	Seconds     float64       `json:"seconds"`
	Files       []fileSummary `json:"files"`
	Skipped     []skippedLink `json:"skipped"` // symbolic links not followed
	deletes     []string
}

type fileSummary struct {
	Path   string `json:"path"`
	Mode   string `json:"mode"`
	Size   int64  `json:"size"`
	Action string `json:"action"`
	OID    string `json:"oid,omitempty"`
}

func (o *output) summary(repo hub.Repo, deletes []string, took time.Duration) summary {
	s := summary{OK: true, Repo: repo.ID, RepoType: repo.Type, Revision: repo.Revision, Seconds: took.Seconds(), Files: []fileSummary{}, Skipped: o.skipped, deletes: deletes}
	if s.Skipped == nil {
		s.Skipped = []skippedLink{}
	}
	for _, f := range o.files {
		mode := "regular"
		if f.LFS {
			mode = "lfs"
		}
		s.Files = append(s.Files, fileSummary{Path: f.Path, Mode: mode, Size: f.Size, Action: string(f.Action), OID: f.OID})
		switch f.Action {
		case hub.Uploaded:
			s.Uploaded++
		case hub.Stored:
			s.Stored++
		case hub.Inline:
			s.Inline++
			if !o.dryRun {
				s.BytesSent += f.Size
			}
		case hub.Unchanged:
			s.Unchanged++
		case hub.Ignored:
			s.Ignored++
		}
	}
	o.mu.Lock()
	s.BytesSent += o.sent
	o.mu.Unlock()
	return s
}

// finish prints the summary.
func (o *output) finish(s summary) error {
	if o.format == "json" {
		enc := json.NewEncoder(o.d.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	w := o.d.stdout
	if !o.lines {
		// Bars were shown instead of lines: list the files now.
		for _, f := range o.files {
			fmt.Fprintln(w, o.line(f))
		}
	}
	for _, l := range s.Skipped {
		fmt.Fprintf(w, "%-10s %-7s %10s  %s (%s)\n", "skipped", "link", "", l.Path, l.Reason)
	}
	for _, p := range s.deletes {
		verb := "deleted"
		if s.DryRun {
			verb = "would-delete"
		}
		fmt.Fprintf(w, "%-10s %-7s %10s  %s\n", verb, "", "", p)
	}
	target := fmt.Sprintf("%s %s@%s", s.RepoType, s.Repo, s.Revision)
	switch {
	case s.DryRun:
		n := s.Uploaded + s.Inline
		if s.WouldCreate {
			target = "new " + target
		}
		fmt.Fprintf(w, "dry run: would commit %d files and %d deletions to %s; %d unchanged; nothing was sent\n", n, len(s.deletes), target, s.Unchanged)
	case s.CommitOID == "":
		ignored := ""
		if s.Ignored > 0 {
			ignored = fmt.Sprintf(" (%d more ignored by the repository's .gitignore)", s.Ignored)
		}
		fmt.Fprintf(w, "nothing to upload: all %d files are already on %s with the same content%s; no commit made\n", s.Unchanged, target, ignored)
	default:
		parts := []string{fmt.Sprintf("%d sent", s.Uploaded+s.Inline)}
		if s.Stored > 0 {
			parts = append(parts, fmt.Sprintf("%d already on the Hub", s.Stored))
		}
		if s.Unchanged > 0 {
			parts = append(parts, fmt.Sprintf("%d unchanged", s.Unchanged))
		}
		if s.Deleted > 0 {
			parts = append(parts, fmt.Sprintf("%d deleted", s.Deleted))
		}
		fmt.Fprintf(w, "committed %s to %s (%s, %s in %.1fs)\n", short(s.CommitOID), target, strings.Join(parts, ", "), bytesize.Size(s.BytesSent), s.Seconds)
		fmt.Fprintln(w, s.CommitURL)
	}
	return nil
}

func short(oid string) string {
	if len(oid) > 12 {
		return oid[:12]
	}
	return oid
}
