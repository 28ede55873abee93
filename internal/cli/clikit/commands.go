package clikit

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"unicode"
)

// buildAll, set only by tests, turns off onlyCommand: the reference the
// reduced models are compared with.
var buildAll bool

// onlyCommand returns kong.IgnoreFields patterns for every top-level command
// of model but the one args name first, or nil when args[0] names none.
// Building kong's model costs most of a short run's start-up (every flag's
// help is interpolated through a regexp): secretscan staged, the commit
// hook, built nine commands to run one. A command's help, flags and errors
// do not depend on its siblings (TestOneCommandModelAnswersAsTheWhole holds
// every tool to that); whatever does not start with a command's exact name
// or alias (a global flag first, a typo, no command) gets the whole model.
func onlyCommand(model any, args []string) []string {
	if buildAll || len(args) == 0 || os.Getenv("COMP_LINE") != "" {
		return nil // completion walks the whole model
	}
	t := reflect.TypeOf(model)
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	t = t.Elem()
	var others []string
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("cmd"); !ok {
			continue
		}
		if commandNames(f)[args[0]] {
			found = true
			continue
		}
		others = append(others, "^"+regexp.QuoteMeta(t.Name()+"."+f.Name)+"$")
	}
	if !found {
		return nil
	}
	return others
}

// commandNames are the words that select the command field f, as kong
// names it: its name tag, else the field name in kebab case, and its
// aliases.
func commandNames(f reflect.StructField) map[string]bool {
	name := f.Tag.Get("name")
	if name == "" {
		name = kebab(f.Name)
	}
	names := map[string]bool{name: true}
	if aliases := f.Tag.Get("aliases"); aliases != "" {
		for a := range strings.SplitSeq(aliases, ",") {
			names[strings.TrimSpace(a)] = true
		}
	}
	return names
}

// kebab is kong's default name for a field: "DryRun" is "dry-run".
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
