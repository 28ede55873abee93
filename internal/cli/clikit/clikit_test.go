package clikit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

type model struct {
	Format  string           `enum:"text,json" default:"text"`
	Version kong.VersionFlag `help:"Print the version."`
}

func TestParseMapsUsageErrorsToTwo(t *testing.T) {
	var out, errOut bytes.Buffer
	_, code, done := Parse("tool", &model{}, []string{"--format", "yaml"}, &out, &errOut)
	if !done || code != ExitUsage {
		t.Fatalf("code %d done %v, want 2 true", code, done)
	}
	want := "tool: error: --format must be one of \"text\",\"json\" but got \"yaml\"\ntool: hint: run 'tool --help' for usage\n"
	if errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut.String(), want)
	}
}

func TestParseHelpAndVersionExitZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"--version"}} {
		var out, errOut bytes.Buffer
		_, code, done := Parse("tool", &model{}, args, &out, &errOut)
		if !done || code != ExitOK || out.Len() == 0 {
			t.Errorf("%v: code %d done %v stdout %q", args, code, done, out.String())
		}
	}
}

func TestParseAnswersCompletionAndStops(t *testing.T) {
	type cmds struct {
		Scan struct {
			Path string `arg:"" predictor:"dir"`
		} `cmd:""`
		Show struct{} `cmd:""`
	}
	t.Setenv("COMP_LINE", "tool s")
	t.Setenv("COMP_POINT", "6")
	var out, errOut bytes.Buffer
	_, code, done := Parse("tool", &cmds{}, nil, &out, &errOut)
	if !done || code != ExitOK {
		t.Fatalf("code %d done %v: a completion request must end the run", code, done)
	}
	if got := strings.Fields(out.String()); len(got) != 2 || !strings.Contains(out.String(), "scan") || !strings.Contains(out.String(), "show") {
		t.Errorf("completions %q, want scan and show", got)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestReportPrintsErrorAndHintAndReturnsTheCode(t *testing.T) {
	var errOut bytes.Buffer
	code := Report("tool", &errOut, Errorf(ExitPolicy, "do this next", "it failed with %s", "hf_abcdefghijklmnopqrstuvwxyz0123456789"))
	if code != ExitPolicy {
		t.Errorf("code = %d", code)
	}
	got := errOut.String()
	if !strings.HasPrefix(got, "tool: error: it failed with hf_…") || !strings.HasSuffix(got, "tool: hint: do this next\n") {
		t.Errorf("stderr = %q", got)
	}
	if strings.Contains(got, "abcdefghijklmnop") {
		t.Errorf("a token-shaped value reached stderr: %q", got)
	}
}

func TestReportSilentAndPlainErrors(t *testing.T) {
	var errOut bytes.Buffer
	if code := Report("tool", &errOut, Silent(1)); code != 1 || errOut.Len() != 0 {
		t.Errorf("Silent: code %d stderr %q", code, errOut.String())
	}
	if code := Report("tool", &errOut, errors.New("disk full")); code != ExitIncomplete {
		t.Errorf("plain error: code %d", code)
	}
	if code := Report("tool", &errOut, nil); code != ExitOK {
		t.Errorf("nil: code %d", code)
	}
}

func TestOpenLogPlacesTheAuditLog(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv("TOKENGUARD_AUDIT_LOG", "")
	var errOut bytes.Buffer

	log, closeLog := OpenLog("tool", &errOut, "", false, false)
	log.Info("checked")
	closeLog()
	if _, err := os.Stat(filepath.Join(state, "tokenguard", "audit.log")); err != nil {
		t.Errorf("default audit log not written: %v", err)
	}

	other := filepath.Join(t.TempDir(), "audit.jsonl")
	log, closeLog = OpenLog("tool", &errOut, other, true, false)
	log.Info("checked")
	closeLog()
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("--no-audit-log still wrote %s", other)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr %q, want nothing", errOut.String())
	}
}

// An audit log that cannot be written is a warning, once, and the logger
// still works: the console keeps its lines.
func TestOpenLogWarnsWhenTheAuditLogCannotBeWritten(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, state, home, flag, want string
	}{
		{"no home", "", "", "", "tool: warning: audit log disabled: cannot locate the state directory: neither XDG_STATE_HOME nor HOME is set\n"},
		{"state is a file", file, "", "", "tool: warning: audit log disabled: cannot create " + file + "/tokenguard/audit.log: not a directory\n"},
		{"flag under a file", "", "/nonexistent", file + "/audit.log", "tool: warning: audit log disabled: cannot create " + file + "/audit.log: not a directory\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", tc.state)
			t.Setenv("HOME", tc.home)
			t.Setenv("TOKENGUARD_AUDIT_LOG", "")
			var errOut bytes.Buffer
			log, closeLog := OpenLog("tool", &errOut, tc.flag, false, false)
			log.Warn("still here")
			closeLog()
			want := tc.want + "tool: hint: " + auditHint + "\ntool: warning: still here\n"
			if errOut.String() != want {
				t.Errorf("stderr\n%q\nwant\n%q", errOut.String(), want)
			}
		})
	}
}

// A write that fails later (a full disk) is a warning at the end, once,
// however many entries were lost.
func TestOpenLogWarnsOnceWhenWritesFail(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	var errOut bytes.Buffer
	log, closeLog := OpenLog("tool", &errOut, "/dev/full", false, false)
	log.Info("one")
	log.Info("two")
	closeLog()
	want := "tool: warning: audit log incomplete: failed to write audit log /dev/full: write /dev/full: no space left on device\ntool: hint: " + auditHint + "\n"
	if errOut.String() != want {
		t.Errorf("stderr\n%q\nwant\n%q", errOut.String(), want)
	}
}

type validated struct {
	Spec string `arg:"" optional:""`
}

func (v *validated) Validate() error {
	if v.Spec == "" {
		return Errorf(ExitUsage, "give A..B", "no range given")
	}
	return nil
}

// The hint of an *Error from Validate reaches the user, with its code.
func TestParseKeepsTheHintOfValidate(t *testing.T) {
	var m struct {
		Range validated `cmd:""`
	}
	var out, errOut bytes.Buffer
	_, code, done := Parse("tool", &m, []string{"range"}, &out, &errOut)
	want := "tool: error: range: no range given\ntool: hint: give A..B\n"
	if !done || code != ExitUsage || errOut.String() != want {
		t.Errorf("code %d done %v stderr %q, want %q", code, done, errOut.String(), want)
	}
}

// A missing argument is named with what it is for; a missing command
// lists the commands.
func TestParseNamesWhatIsMissing(t *testing.T) {
	type files struct {
		Paths []string `arg:"" name:"path" help:"Files to scan; a directory is walked."`
	}
	type upload struct {
		Repo  string   `arg:"" name:"repo-id" help:"Repository to upload to, as namespace/name."`
		Paths []string `arg:"" name:"path" help:"Files and folders to upload. A folder keeps its paths."`
	}
	var cmds struct {
		Files files `cmd:""`
		Dir   struct {
			Path string `arg:"" optional:""`
		} `cmd:""`
	}
	for _, tc := range []struct {
		model any
		args  []string
		want  string
	}{
		{&cmds, []string{"files"}, "tool: error: missing <path> ... (files to scan; a directory is walked)\ntool: hint: run 'tool files --help' for usage\n"},
		{&cmds, nil, "tool: error: missing command: one of files, dir\ntool: hint: run 'tool --help' for usage\n"},
		{&upload{}, nil, "tool: error: missing <repo-id> (repository to upload to, as namespace/name) and <path> ... (files and folders to upload)\ntool: hint: run 'tool --help' for usage\n"},
		{&upload{}, []string{"a/b"}, "tool: error: missing <path> ... (files and folders to upload)\ntool: hint: run 'tool --help' for usage\n"},
	} {
		var out, errOut bytes.Buffer
		_, code, done := Parse("tool", tc.model, tc.args, &out, &errOut)
		if !done || code != ExitUsage || errOut.String() != tc.want {
			t.Errorf("%v: code %d done %v stderr\n%q\nwant\n%q", tc.args, code, done, errOut.String(), tc.want)
		}
	}
}

// The shared flags show each default once, the state directory as
// written, and the tool's own words for -v and --timeout.
func TestCommonFlagsHelp(t *testing.T) {
	var m struct {
		Format string `short:"f" default:"text" enum:"text,json" help:"Report format: ${enum}."`
		Common `embed:""`
	}
	var out, errOut bytes.Buffer
	_, code, _ := Parse("tool", &m, []string{"--help"}, &out, &errOut,
		kong.Vars{"verbose_help": "Also print progress.", "timeout_help": "Give up after this long.", "timeout_default": "30s"})
	help := out.String()
	if code != ExitOK {
		t.Fatalf("code %d, stderr %q", code, errOut.String())
	}
	for _, want := range []string{"--timeout=30s", "Give up after this long ($TOKENGUARD_TIMEOUT)", "-v, --verbose", "Also print progress.",
		"$XDG_STATE_HOME/tokenguard", "--version", `--format="text"`} {
		if !strings.Contains(strings.Join(strings.Fields(help), " "), want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	for _, bad := range []string{`\$`, "(default 30s)", "(default text)"} {
		if strings.Contains(help, bad) {
			t.Errorf("help has %q:\n%s", bad, help)
		}
	}
	t.Setenv("TOKENGUARD_TIMEOUT", "5s")
	if _, _, done := Parse("tool", &m, nil, &out, &errOut,
		kong.Vars{"verbose_help": "", "timeout_help": "", "timeout_default": "30s"}); done || m.Timeout != 5*time.Second {
		t.Errorf("TOKENGUARD_TIMEOUT=5s: timeout %v", m.Timeout)
	}
}
