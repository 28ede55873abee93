package tokenage

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/ledger"
)

// The commands that run in every new shell (warn, and init on the eval
// line) read their flags without kong: building kong's model and
// interpolating its help costs more than warn's own work. The parsers
// understand only what they can read exactly as kong would (--flag=value or
// --flag value, a known shell name) and decline anything else (help, a
// stray word, a bad value, a value that starts with "-"), which then goes
// through kong, so that every message stays kong's. FuzzFastPath holds
// them to kong's result.

// fastPath returns the run of args when a fast parser accepts them.
func fastPath(args []string) (func(Stdio) error, bool) {
	if c, ok := parseWarn(args); ok {
		return func(std Stdio) error { return c.Run(NewBooks(Small), std) }, true
	}
	if c, ok := parseInit(args); ok {
		return c.Run, true
	}
	return nil, false
}

// parseWarn reads `warn [flags]`.
func parseWarn(args []string) (*WarnCmd, bool) {
	if len(args) == 0 || args[0] != "warn" {
		return nil, false
	}
	c := &WarnCmd{Timeout: 300 * time.Millisecond} // the default in WarnCmd's tag
	ok := eachFlag(args[1:], func(string) bool { return false }, func(flag, value string) bool {
		var err error
		switch flag {
		case "--max-age":
			c.MaxAge.d, err = ledger.ParseDuration(value)
			c.MaxAge.set = true
		case "--warn-before":
			c.WarnBefore.d, err = ledger.ParseDuration(value)
			c.WarnBefore.set = true
		case "--remind-every":
			c.RemindEvery.d, err = ledger.ParseDuration(value)
			c.RemindEvery.set = true
		case "--timeout":
			c.Timeout, err = time.ParseDuration(value)
		default:
			return false
		}
		return err == nil
	})
	return c, ok
}

// parseInit reads `init SHELL [--timeout D]`.
func parseInit(args []string) (*InitCmd, bool) {
	if len(args) == 0 || args[0] != "init" {
		return nil, false
	}
	c := &InitCmd{Timeout: 300 * time.Millisecond} // the default in InitCmd's tag
	shells, _ := reflect.TypeFor[InitCmd]().FieldByName("Shell")
	ok := eachFlag(args[1:], func(word string) bool {
		if c.Shell != "" || !slices.Contains(strings.Split(shells.Tag.Get("enum"), ","), word) {
			return false
		}
		c.Shell = word
		return true
	}, func(flag, value string) bool {
		var err error
		if flag != "--timeout" {
			return false
		}
		c.Timeout, err = time.ParseDuration(value)
		return err == nil
	})
	return c, ok && c.Shell != ""
}

// eachFlag hands each --flag=value or --flag value of args to flag and
// each other word to word; it stops with false when either declines, or at
// anything it would have to guess about.
func eachFlag(args []string, word func(string) bool, flag func(name, value string) bool) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			if a == "" || a[0] == '-' || !word(a) {
				return false
			}
			continue
		}
		name, value, inline := strings.Cut(a, "=")
		if !inline {
			if i+1 == len(args) {
				return false
			}
			i++
			value = args[i]
		}
		if value == "" || value[0] == '-' || !flag(name, value) {
			return false
		}
	}
	return true
}
