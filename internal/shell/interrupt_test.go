package shell

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestCtrlCDuringTheRunKeepsTheRestOfTheRCFile starts each shell on a
// terminal with the snippet in its startup file, then a line after it;
// tokenage (a fake that sleeps) is interrupted with Ctrl-C, as an impatient
// user would, and the rest of the startup file must still run.
func TestCtrlCDuringTheRunKeepsTheRestOfTheRCFile(t *testing.T) {
	for _, sh := range Shells() {
		t.Run(sh.Name(), func(t *testing.T) {
			bin, err := exec.LookPath(sh.Name())
			if err != nil {
				t.Skipf("%s is not installed", sh.Name())
			}
			t.Parallel()
			dir := t.TempDir()
			slow := filepath.Join(dir, "tokenage")
			if err := os.WriteFile(slow, []byte("#!/bin/sh\nsleep 1.5\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			snippet, err := Render(sh, Hook{Path: slow, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			marker := filepath.Join(dir, "rest-of-rc-ran")
			rc := snippet + "echo done > " + quote(marker) + "\n"
			var cmd *exec.Cmd
			switch sh.Name() {
			case "bash":
				write(t, filepath.Join(dir, "bashrc"), rc)
				cmd = exec.Command(bin, "--noprofile", "--rcfile", filepath.Join(dir, "bashrc"), "-i")
			case "zsh":
				write(t, filepath.Join(dir, ".zshrc"), rc)
				cmd = exec.Command(bin, "-i")
				cmd.Env = append(cmd.Env, "ZDOTDIR="+dir)
			case "fish":
				write(t, filepath.Join(dir, "fish", "config.fish"), rc)
				cmd = exec.Command(bin, "-i")
				cmd.Env = append(cmd.Env, "XDG_CONFIG_HOME="+dir)
			}
			cmd.Env = append(cmd.Env, "HOME="+dir, "PATH="+os.Getenv("PATH"), "TERM=dumb")
			tty, err := pty.Start(cmd)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				tty.Close()
			}()
			go func() { _, _ = io.Copy(io.Discard, tty) }()
			// Ctrl-C while the fake is sleeping.
			time.Sleep(500 * time.Millisecond)
			if _, err := tty.Write([]byte{3}); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if _, err := os.Stat(marker); err == nil {
					return
				}
			}
			t.Errorf("%s: after Ctrl-C the rest of the startup file did not run", sh.Name())
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
