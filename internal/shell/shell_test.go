package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTokenage writes an executable that prints its arguments, at a path with
// a space and a quote to prove the quoting holds.
func fakeTokenage(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), `it's a dir`)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tokenage")
	script := "#!/bin/sh\necho \"tokenage ran: $*\" >&2\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// run starts sh interactively (or not) on a script that sources the snippet
// twice, then prints the status it finds.
func run(t *testing.T, sh Shell, snippet string, interactive bool) string {
	t.Helper()
	bin, err := exec.LookPath(sh.Name())
	if err != nil {
		t.Skipf("%s not installed", sh.Name())
	}
	file := filepath.Join(t.TempDir(), "snippet")
	if err := os.WriteFile(file, []byte(snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	var script string
	switch sh.Name() {
	case "fish":
		script = "false; source " + file + "; echo status=$status; source " + file + "; echo again=$status"
	default:
		// The user's INT trap must survive the snippet, which ignores INT while it runs.
		list := "trap -p INT" // zsh has no -p: it would set a trap running "-p"
		if sh.Name() == "zsh" {
			list = "trap"
		}
		script = "trap 'echo user-trap' INT; f() { return 7; }; f; . " + file + "; echo status=$?; . " + file +
			"; echo again=$?; " + list
	}
	args := []string{"-c", script}
	if interactive {
		args = append([]string{"-i"}, args...)
	}
	if sh.Name() == "bash" {
		args = append([]string{"--norc", "--noprofile"}, args...)
	}
	if sh.Name() == "zsh" {
		args = append([]string{"-f"}, args...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	out, _ := cmd.CombinedOutput()
	// Without a terminal bash -i says so; that is bash talking, not the snippet.
	var lines []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if !strings.Contains(line, "job control") && !strings.Contains(line, "terminal process group") && line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

func TestSnippetsInRealShells(t *testing.T) {
	for _, sh := range Shells() {
		t.Run(sh.Name(), func(t *testing.T) {
			path := fakeTokenage(t)
			snippet, err := Render(sh, Hook{Path: path, Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			want := "1"
			if sh.Name() != "fish" {
				want = "7"
			}
			// Interactive: runs once although sourced twice, and keeps the status.
			got := run(t, sh, snippet, true)
			if strings.Count(got, "tokenage ran: warn --timeout=300ms") != 1 || !strings.Contains(got, "status="+want) {
				t.Errorf("interactive %s:\n%s", sh.Name(), got)
			}
			if sh.Name() != "fish" && !strings.Contains(got, "user-trap") {
				t.Errorf("interactive %s lost the user's INT trap:\n%s", sh.Name(), got)
			}
			// Not interactive (a script): silent.
			if got := run(t, sh, snippet, false); strings.Contains(got, "tokenage ran") || !strings.Contains(got, "status="+want) {
				t.Errorf("non-interactive %s:\n%s", sh.Name(), got)
			}
			// The binary is gone: silent, status kept.
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if got := run(t, sh, snippet, true); strings.Contains(got, "tokenage") || !strings.Contains(got, "status="+want+"\n") {
				t.Errorf("missing binary, %s:\n%s", sh.Name(), got)
			}
		})
	}
}

func TestRenderRejectsRelativePath(t *testing.T) {
	if _, err := Render(Bash{}, Hook{Path: "tokenage", Timeout: time.Second}); err == nil {
		t.Error("rendered a relative path")
	}
}

func TestLookup(t *testing.T) {
	for _, name := range Names() {
		if sh, ok := Lookup(name); !ok || sh.Name() != name {
			t.Errorf("Lookup(%q) = %v, %v", name, sh, ok)
		}
	}
	if _, ok := Lookup("csh"); ok {
		t.Error("Lookup(csh) succeeded")
	}
}
