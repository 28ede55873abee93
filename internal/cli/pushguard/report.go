package pushguard

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/push"
	"github.com/tokenguard/tokenguard/internal/report"
	"github.com/tokenguard/tokenguard/internal/token"
)

// writeText writes one report grouped by check, masked values only.
func writeText(w io.Writer, rep *push.Report, ns []report.NotScanned) {
	target := rep.Remote
	if rep.URL != "" && rep.URL != rep.Remote {
		target = strings.TrimSpace(rep.Remote + " " + redactURL(rep.URL))
	}
	fmt.Fprintf(w, "pushguard: %s in %s to %s\n", plural(rep.Commits, "outgoing commit"), plural(rep.Refs, "ref"), orDash(target))
	for _, warning := range rep.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warning)
	}

	unread := 0
	for _, n := range ns {
		if n.Incomplete {
			unread++
		}
	}
	fmt.Fprintf(w, "\nsecrets: %s\n", count(len(rep.Secrets)))
	for _, f := range rep.Secrets {
		info := ""
		if f.Informational {
			info = "  [informational: does not block]"
		}
		fmt.Fprintf(w, "  %s  %s:%d:%d  %s  %s%s\n", short(f.Commit), f.File, f.Line, f.Column, f.RuleID, f.Masked, info)
	}
	if len(rep.Secrets) > 0 {
		fmt.Fprintln(w, "  fix: remove them from the commits (git rebase -i, or git commit --amend for the last one) and rotate them")
	}
	if line := report.NotScannedSummary(ns); line != "" {
		fmt.Fprintf(w, "\nnot scanned for secrets: %s\n", count(unread))
		for _, n := range ns {
			if n.Incomplete {
				fmt.Fprintf(w, "  %s  %s  %s\n", short(n.Commit), n.Path, n.Reason)
			}
		}
		fmt.Fprintf(w, "  (%s)\n", line)
	}

	fmt.Fprintf(w, "\nfiles over %s not in LFS: %s\n", bytesize.Size(rep.MaxFileSize), count(len(rep.LargeFiles)))
	for _, f := range rep.LargeFiles {
		fmt.Fprintf(w, "  %s  %s  %s\n", short(f.Commit), f.Path, bytesize.Size(f.Size))
	}
	if len(rep.LargeFiles) > 0 {
		var patterns []string
		for _, f := range rep.LargeFiles {
			patterns = append(patterns, lfsPattern(f.Path))
		}
		include := strings.Join(patterns, ",")
		fmt.Fprintf(w, "  fix: git lfs track %s && git add .gitattributes\n", quoteAll(patterns))
		fmt.Fprintf(w, "       then move the files already committed into LFS: git lfs migrate import --include=%q --include-ref=<branch>\n", include)
	}

	if rep.Hub != nil {
		h := rep.Hub
		fmt.Fprintf(w, "\nhugging face token for %s %s: %s\n", h.Repo.Type, h.Repo.ID, h.Status)
		if h.Masked != "" {
			fmt.Fprintf(w, "  %s (%s)\n", h.Masked, h.Source)
		}
		if h.Reason != "" {
			fmt.Fprintf(w, "  %s\n", h.Reason)
		}
		if h.Hint != "" {
			fmt.Fprintf(w, "  hint: %s\n", h.Hint)
		}
		if h.EmbeddedToken {
			fmt.Fprintln(w, "  risk: the token is written in the remote URL, in clear text in .git/config")
			fmt.Fprintln(w, "  fix: git remote set-url "+orDash(rep.Remote)+" "+redactURL(rep.URL)+" and use a credential helper (hf auth login --add-to-git-credential)")
		}
	}
}

// lfsPattern is what to track: the file's extension across the repository
// for weights-like files, else the path itself.
func lfsPattern(p string) string {
	if ext := path.Ext(p); ext != "" && len(ext) <= 12 {
		return "*" + ext
	}
	return p
}

func quoteAll(ss []string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, fmt.Sprintf("%q", s))
		}
	}
	return strings.Join(out, " ")
}

// redactURL drops credentials from a remote URL.
func redactURL(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if at := strings.Index(u[i+3:], "@"); at >= 0 && !strings.Contains(u[i+3:i+3+at], "/") {
			return u[:i+3] + u[i+3+at+1:]
		}
	}
	return u
}

func short(commit string) string {
	if len(commit) > 10 {
		return commit[:10]
	}
	return orDash(commit)
}

func count(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprint(n)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// jsonReport is the --format json schema (see the README).
type jsonReport struct {
	Blocked     bool                `json:"blocked"`
	Reasons     []string            `json:"reasons"`
	Remote      string              `json:"remote"`
	URL         string              `json:"url"`
	Refs        int                 `json:"refs"`
	Commits     int                 `json:"commits"`
	Secrets     []jsonSecret        `json:"secrets"`
	MaxFileSize int64               `json:"max_file_size"`
	LargeFiles  []jsonLargeFile     `json:"large_files"`
	Hub         *jsonHub            `json:"hub"`
	Warnings    []string            `json:"warnings"`
	ScanMaxSize int64               `json:"scan_max_size"`
	NotScanned  []report.NotScanned `json:"not_scanned"`
}

type jsonSecret struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	Commit      string `json:"commit"`
	// Informational: public by design, does not block the push.
	Informational bool `json:"informational,omitempty"`
}

type jsonLargeFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	Commit string `json:"commit"`
}

type jsonHub struct {
	Repo          string       `json:"repo"`
	Type          string       `json:"type"`
	EmbeddedToken bool         `json:"embedded_token"`
	Result        token.Result `json:"result"`
}

func writeJSON(w io.Writer, rep *push.Report, blocked []string, ns []report.NotScanned) error {
	out := jsonReport{Blocked: len(blocked) > 0, Reasons: append([]string{}, blocked...), Remote: rep.Remote, URL: redactURL(rep.URL),
		Refs: rep.Refs, Commits: rep.Commits, Secrets: []jsonSecret{}, MaxFileSize: rep.MaxFileSize,
		LargeFiles: []jsonLargeFile{}, Warnings: append([]string{}, rep.Warnings...),
		ScanMaxSize: rep.ScanMaxSize, NotScanned: append([]report.NotScanned{}, ns...)}
	for _, f := range rep.Secrets {
		out.Secrets = append(out.Secrets, jsonSecret{f.RuleID, f.File, f.Line, f.Column, f.Masked, f.Fingerprint, f.Commit, f.Informational})
	}
	for _, f := range rep.LargeFiles {
		out.LargeFiles = append(out.LargeFiles, jsonLargeFile{f.Path, f.Size, f.Commit})
	}
	if rep.Hub != nil {
		out.Hub = &jsonHub{rep.Hub.Repo.ID, rep.Hub.Repo.Type, rep.Hub.EmbeddedToken, rep.Hub.Result}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// audit records the push check; findings by fingerprint only.
func audit(log *logrus.Logger, rep *push.Report) {
	log.WithFields(logrus.Fields{
		authlog.FieldEvent: "push",
		"remote":           redactURL(rep.URL),
		"commits":          rep.Commits,
		"secrets":          len(rep.Secrets),
		"large_files":      len(rep.LargeFiles),
		"not_scanned":      len(rep.NotScanned),
	}).Info("push checked")
	for _, f := range rep.Secrets {
		log.WithFields(logrus.Fields{authlog.FieldEvent: "secret", authlog.FieldFingerprint: f.Fingerprint,
			authlog.FieldMasked: f.Masked, "rule": f.RuleID, "commit": f.Commit}).Info("secret in outgoing commit")
	}
	if h := rep.Hub; h != nil {
		log.WithFields(logrus.Fields{authlog.FieldEvent: "hub-check", authlog.FieldProvider: "hf", authlog.FieldSource: h.Source,
			authlog.FieldStatus: string(h.Status), authlog.FieldFingerprint: h.Fingerprint, authlog.FieldMasked: h.Masked}).Info("hub token checked")
	}
}
