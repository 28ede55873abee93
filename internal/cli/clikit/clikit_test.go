package clikit

import (
	"bytes"
	"errors"
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
