package authlog_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/tokenguard/tokenguard/internal/authlog"
	"github.com/tokenguard/tokenguard/internal/redact"
)

// newLogger builds a logger for a test and closes it at the end.
func newLogger(t *testing.T, opts authlog.Options) *logrus.Logger {
	t.Helper()
	log, closeLog, err := authlog.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := closeLog(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return log
}

// readAudit returns the audit file's entries, failing on any line that is
// not a JSON object.
func readAudit(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var entries []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q is not JSON: %v", sc.Text(), err)
		}
		entries = append(entries, e)
	}
	return entries
}

// logAll logs one entry at each level from debug to error.
func logAll(log *logrus.Logger) {
	log.Debug("reading HF_TOKEN")
	log.WithField(authlog.FieldProvider, "hf").Info("checking 1 credential")
	log.Warn("token is 95 days old")
	log.WithField(authlog.FieldStatus, "missing").Error("token file is empty")
}

func TestConsoleDefaultShowsWarningAndAbove(t *testing.T) {
	var stderr bytes.Buffer
	logAll(newLogger(t, authlog.Options{Tool: "tokencheck", Stderr: &stderr}))
	want := "tokencheck: warning: token is 95 days old\n" +
		"tokencheck: error: token file is empty\n"
	if got := stderr.String(); got != want {
		t.Errorf("console:\n%s\nwant:\n%s", got, want)
	}
}

func TestConsoleVerboseShowsInfoAndDebug(t *testing.T) {
	var stderr bytes.Buffer
	logAll(newLogger(t, authlog.Options{Tool: "tokencheck", Stderr: &stderr, Verbose: true}))
	want := "tokencheck: debug: reading HF_TOKEN\n" +
		"tokencheck: checking 1 credential\n" +
		"tokencheck: warning: token is 95 days old\n" +
		"tokencheck: error: token file is empty\n"
	if got := stderr.String(); got != want {
		t.Errorf("console:\n%s\nwant:\n%s", got, want)
	}
}

func TestConsoleHintLine(t *testing.T) {
	var stderr bytes.Buffer
	log := newLogger(t, authlog.Options{Tool: "secretscan", Stderr: &stderr})
	log.WithFields(logrus.Fields{
		authlog.FieldProvider: "hf",
		authlog.FieldHint:     "run `hf auth login` or set HF_TOKEN",
	}).Error("no hugging face token found")
	log.WithField(authlog.FieldHint, "").Warn("an empty hint prints no hint line")

	want := "secretscan: error: no hugging face token found\n" +
		"secretscan: hint: run `hf auth login` or set HF_TOKEN\n" +
		"secretscan: warning: an empty hint prints no hint line\n"
	if got := stderr.String(); got != want {
		t.Errorf("console:\n%s\nwant:\n%s", got, want)
	}
}

func TestLevelGuardsFollowOutputs(t *testing.T) {
	quiet := newLogger(t, authlog.Options{Tool: "tokenage"})
	if quiet.IsLevelEnabled(logrus.InfoLevel) {
		t.Error("info enabled with neither verbose console nor audit file")
	}
	audited := newLogger(t, authlog.Options{Tool: "tokenage", AuditPath: filepath.Join(t.TempDir(), "audit.log")})
	if !audited.IsLevelEnabled(logrus.InfoLevel) || audited.IsLevelEnabled(logrus.DebugLevel) {
		t.Errorf("with an audit file the level is %v, want info", audited.GetLevel())
	}
	verbose := newLogger(t, authlog.Options{Tool: "tokenage", Verbose: true})
	if !verbose.IsLevelEnabled(logrus.DebugLevel) {
		t.Error("debug disabled with a verbose console")
	}
}

func TestAuditFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "tokenguard")
	path := filepath.Join(dir, "audit.log")

	// Two runs: the second appends.
	for run := range 2 {
		log, closeLog, err := authlog.New(authlog.Options{Tool: "tokencheck", AuditPath: path})
		if err != nil {
			t.Fatal(err)
		}
		log.Debug("not audited")
		log.WithFields(logrus.Fields{
			authlog.FieldEvent:       "validate",
			authlog.FieldProvider:    "hf",
			authlog.FieldSource:      "env:HF_TOKEN",
			authlog.FieldStatus:      "valid",
			authlog.FieldFingerprint: "0123456789abcdef",
			authlog.FieldMasked:      "hf_…wxyz",
			"run":                    run,
		}).Info("token is valid")
		if err := closeLog(); err != nil {
			t.Fatalf("close: %v", err)
		}
	}

	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)

	entries := readAudit(t, path)
	if len(entries) != 2 {
		t.Fatalf("audit has %d entries, want 2: %v", len(entries), entries)
	}
	for run, e := range entries {
		want := map[string]any{
			"level":                  "info",
			"msg":                    "token is valid",
			authlog.FieldEvent:       "validate",
			authlog.FieldProvider:    "hf",
			authlog.FieldSource:      "env:HF_TOKEN",
			authlog.FieldStatus:      "valid",
			authlog.FieldFingerprint: "0123456789abcdef",
			authlog.FieldMasked:      "hf_…wxyz",
			"run":                    float64(run), // numbers stay numbers
		}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("entry %d: %s = %#v, want %#v", run, k, e[k], v)
			}
		}
		if ts, _ := e["time"].(string); !strings.HasSuffix(ts, "Z") {
			t.Errorf("entry %d: time %q is not UTC RFC 3339", run, e["time"])
		}
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

func TestAuditExistingDirectoryKeepsItsMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	newLogger(t, authlog.Options{Tool: "tokencheck", AuditPath: filepath.Join(dir, "audit.log")})
	assertMode(t, dir, 0o750)
}

func TestAuditOpenFailureNamesThePath(t *testing.T) {
	// A regular file where the directory should be fails even for root.
	blocker := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(blocker, "audit.log")
	_, _, err := authlog.New(authlog.Options{Tool: "tokencheck", AuditPath: path})
	if err == nil {
		t.Fatal("New succeeded with an impossible audit path")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
}

func TestAuditWriteFailureReportedByClose(t *testing.T) {
	const full = "/dev/full" // every write fails with ENOSPC
	if _, err := os.Stat(full); err != nil {
		t.Skip("no /dev/full on this system")
	}
	var stderr bytes.Buffer
	log, closeLog, err := authlog.New(authlog.Options{Tool: "tokencheck", Stderr: &stderr, AuditPath: full})
	if err != nil {
		t.Skipf("cannot open %s: %v", full, err)
	}
	log.Error("first")
	log.Error("second")
	if got := strings.Count(stderr.String(), "tokencheck: error:"); got != 2 {
		t.Errorf("console got %d error lines, want 2 despite the failing audit file", got)
	}
	err = closeLog()
	if err == nil || !strings.Contains(err.Error(), full) {
		t.Errorf("close = %v, want an error naming %s", err, full)
	}
	if err := closeLog(); err != nil {
		t.Errorf("second close = %v, want nil", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stderr is closed") }

func TestConsoleFailureDoesNotStopAudit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log := newLogger(t, authlog.Options{Tool: "tokencheck", Stderr: failingWriter{}, AuditPath: path})
	log.Error("token file is empty")
	if entries := readAudit(t, path); len(entries) != 1 {
		t.Errorf("audit has %d entries, want 1", len(entries))
	}
}

func TestLoggingAfterCloseIsDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log, closeLog, err := authlog.New(authlog.Options{Tool: "tokencheck", AuditPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}
	log.Error("too late")
	if entries := readAudit(t, path); len(entries) != 0 {
		t.Errorf("audit has %d entries after close, want 0", len(entries))
	}
}

// Test credentials are assembled at run time so that this file holds nothing
// token-shaped for secret scanners (ours included) to flag.
func TestRedaction(t *testing.T) {
	registered := "modal-workspace-" + strings.Repeat("s3cr", 4) // no known shape
	redact.Secret(registered)
	hf := "hf_" + strings.Repeat("Qw7", 11) + "k" // hf_ + 34 letters and digits
	ghp := "ghp_" + strings.Repeat("R2d", 12)
	bearer := strings.Repeat("Xy8", 8) // the value of an Authorization header

	raws := map[string]string{"registered": registered, "hf": hf, "ghp": ghp, "bearer": bearer}
	masked := map[string]string{
		"registered": "…s3cr",
		"hf":         "hf_…Qw7k",
		"ghp":        "ghp_…" + ghp[len(ghp)-4:],
		"bearer":     "Bearer …" + bearer[len(bearer)-4:],
	}

	for name, raw := range raws {
		t.Run(name, func(t *testing.T) {
			shown := raw
			if name == "bearer" {
				shown = "Authorization: Bearer " + raw
			}
			var stderr bytes.Buffer
			path := filepath.Join(t.TempDir(), "audit.log")
			log := newLogger(t, authlog.Options{Tool: "tokencheck", Stderr: &stderr, AuditPath: path, Verbose: true})
			seen := test.NewLocal(log) // added after New's hooks, like any caller's

			log.Infof("message holds %s", shown)
			log.WithField(authlog.FieldSource, "string field "+shown).Info("string field")
			log.WithError(fmt.Errorf("whoami: %s rejected", shown)).Error("error field")
			log.WithField(authlog.FieldHint, "hint holds "+shown).Warn("hint field")
			log.WithField("request", struct{ Header string }{shown}).Info("struct field")
			log.WithField("body", []byte(shown)).Info("bytes field")
			log.WithField(shown, "value").Info("field key")
			log.Debugf("debug %s", shown) // console only

			audit, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var hooked strings.Builder
			for _, e := range seen.AllEntries() {
				fmt.Fprintf(&hooked, "%s %v\n", e.Message, e.Data)
			}
			for where, text := range map[string]string{
				"console": stderr.String(), "audit file": string(audit), "later hook": hooked.String(),
			} {
				if strings.Contains(text, raw) {
					t.Errorf("%s holds the raw value:\n%s", where, text)
				}
				// The console shows the info and debug messages and the hint;
				// the file all seven info-and-above entries.
				n := strings.Count(text, masked[name])
				if where == "console" && n != 3 || where != "console" && n < 7 {
					t.Errorf("%s shows %q %d times:\n%s", where, masked[name], n, text)
				}
			}
		})
	}
}

func TestConcurrentLogging(t *testing.T) {
	var stderr bytes.Buffer
	path := filepath.Join(t.TempDir(), "audit.log")
	log, closeLog, err := authlog.New(authlog.Options{Tool: "pushguard", Stderr: &stderr, AuditPath: path})
	if err != nil {
		t.Fatal(err)
	}
	shared := log.WithField(authlog.FieldEvent, "push") // one Entry used by every goroutine
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				shared.WithFields(logrus.Fields{
					authlog.FieldHint:   fmt.Sprintf("hint %d-%d", w, i),
					authlog.FieldSource: "ref refs/heads/main",
				}).Errorf("error %d-%d", w, i)
			}
		})
	}
	wg.Wait()
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}

	if entries := readAudit(t, path); len(entries) != workers*each {
		t.Errorf("audit has %d entries, want %d", len(entries), workers*each)
	}
	// Each error line is directly followed by its own hint line.
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != 2*workers*each {
		t.Fatalf("console has %d lines, want %d", len(lines), 2*workers*each)
	}
	for i := 0; i < len(lines); i += 2 {
		id := strings.TrimPrefix(lines[i], "pushguard: error: error ")
		if lines[i+1] != "pushguard: hint: hint "+id {
			t.Fatalf("line %d %q is not followed by its hint but by %q", i, lines[i], lines[i+1])
		}
	}
}
