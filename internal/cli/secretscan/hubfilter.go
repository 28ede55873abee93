package secretscan

import (
	"fmt"
	"path"
	"strings"

	"github.com/tokenguard/tokenguard/internal/hub"
)

// repoFilter is --include and --exclude: globs (path.Match) over the
// repositories that --user and --org listed. A glob of two segments,
// NAMESPACE/NAME, matches every type; one of three, TYPES/NAMESPACE/NAME
// with TYPES models, datasets or spaces, matches that type only.
type repoFilter struct {
	include, exclude []string
}

// checkGlob says what is wrong with a glob of flag, or nil.
func checkGlob(flag, glob string) error {
	if _, err := path.Match(glob, ""); err != nil {
		return fmt.Errorf("%s %q is not a valid glob: %v", flag, glob, err)
	}
	parts := strings.Split(glob, "/")
	switch {
	case len(parts) == 2:
	case len(parts) == 3 && (parts[0] == "models" || parts[0] == "datasets" || parts[0] == "spaces"):
	default:
		return fmt.Errorf("%s %q matches nothing: write NAMESPACE/NAME or {models,datasets,spaces}/NAMESPACE/NAME, e.g. 'ml-team/*' or 'spaces/ml-team/demo-*'", flag, glob)
	}
	return nil
}

// globMatch reports whether glob matches r.
func globMatch(glob string, r hub.Repo) bool {
	name := r.ID
	if strings.Count(glob, "/") == 2 {
		name = r.Type + "s/" + r.ID
	}
	ok, _ := path.Match(glob, name) // checked by checkGlob
	return ok
}

// keep reports whether a listed repository is scanned: it matches an
// --include (when there is one) and no --exclude.
func (f repoFilter) keep(r hub.Repo) bool {
	if len(f.include) > 0 {
		in := false
		for _, g := range f.include {
			in = in || globMatch(g, r)
		}
		if !in {
			return false
		}
	}
	for _, g := range f.exclude {
		if globMatch(g, r) {
			return false
		}
	}
	return true
}
