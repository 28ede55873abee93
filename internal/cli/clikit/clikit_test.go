package clikit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
