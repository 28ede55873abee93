package hubupload

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/hub"
)

// skippedDirs are never uploaded, as huggingface_hub's upload_folder skips
// them: the Hub client's cache (and .git anywhere, see collect).
var skippedDirs = []string{".cache/huggingface"}

// globs is a list of fnmatch patterns, as huggingface_hub applies
// allow_patterns and ignore_patterns: "*" also matches "/", and a pattern
// ending in "/" matches everything under that folder.
type globs []*regexp.Regexp

func compileGlobs(patterns []string) globs {
	var g globs
	for _, p := range patterns {
		if strings.HasSuffix(p, "/") {
			p += "*"
		}
		var b strings.Builder
		b.WriteString("^")
		for _, c := range p {
			switch c {
			case '*':
				b.WriteString(".*")
			case '?':
				b.WriteString(".")
			default:
				b.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		b.WriteString("$")
		g = append(g, regexp.MustCompile(b.String()))
	}
	return g
}

func (g globs) match(p string) bool {
	for _, re := range g {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// skippedLink is a symbolic link found in a folder and not uploaded.
type skippedLink struct {
	Path   string `json:"path"`   // relative to the folder, with /
	Reason string `json:"reason"` // why, with the link's target
}

// collect lists the files to upload: every regular file under each folder
// (relative paths kept) and each file given (by its name), all placed under
// pathInRepo, filtered by include and exclude on the path relative to what
// was given. Every repository path is checked before any request.
//
// Symbolic links inside a folder are followed when they lead to a file
// inside the folder. Links that lead outside it, to nothing, into a loop or
// to a directory are skipped and returned, the same way every time: a link
// out of the folder must not upload what it points to, and following
// directory links could upload the same files twice, or forever.
func collect(paths []string, pathInRepo string, include, exclude globs) ([]*hub.LocalFile, []skippedLink, error) {
	prefix, err := repoFolder(pathInRepo)
	if err != nil {
		return nil, nil, err
	}
	var files []*hub.LocalFile
	var skipped []skippedLink
	seen := map[string]string{}
	add := func(abs, rel string, size int64) error {
		if len(include) > 0 && !include.match(rel) || exclude.match(rel) {
			return nil
		}
		repoPath := path.Join(prefix, rel)
		if err := checkRepoPath(repoPath); err != nil {
			return clikit.Errorf(clikit.ExitUsage, "rename the file, or leave it out with --exclude",
				"cannot upload %s as %q: %v", abs, repoPath, err)
		}
		if prev, dup := seen[repoPath]; dup {
			return usageError("give each file once: both %s and %s would be uploaded as %s", prev, abs, repoPath)
		}
		seen[repoPath] = abs
		files = append(files, &hub.LocalFile{Path: repoPath, Abs: abs, Size: size})
		return nil
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, nil, usageError("cannot upload %s: %v", p, unwrapPathError(err))
		}
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				return nil, nil, usageError("cannot upload %s: not a regular file", p)
			}
			if err := add(abs, filepath.Base(abs), fi.Size()); err != nil {
				return nil, nil, err
			}
			continue
		}
		// The folder as it is on disk, so that "inside" means the same
		// for a folder given through a link.
		root, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, nil, fmt.Errorf("failed to read %s: %w", p, unwrapPathError(err))
		}
		err = filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("failed to read %s: %w", file, unwrapPathError(err))
			}
			rel, _ := filepath.Rel(root, file)
			rel = filepath.ToSlash(rel)
			if d.Name() == ".git" && file != root {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil // a submodule's or worktree's .git file
			}
			if d.IsDir() {
				if slices.Contains(skippedDirs, rel) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				fi, why, err := followLink(root, file)
				if err != nil {
					return err
				}
				if why != "" {
					skipped = append(skipped, skippedLink{Path: path.Join(filepath.ToSlash(p), rel), Reason: why})
					return nil
				}
				return add(file, rel, fi.Size())
			}
			if !d.Type().IsRegular() {
				return nil // sockets, pipes, devices
			}
			fi, err := d.Info()
			if err != nil {
				return fmt.Errorf("failed to read %s: %w", file, unwrapPathError(err))
			}
			return add(file, rel, fi.Size())
		})
		if err != nil {
			return nil, nil, err
		}
	}
	slices.SortFunc(files, func(a, b *hub.LocalFile) int { return strings.Compare(a.Path, b.Path) })
	return files, skipped, nil
}

// followLink resolves the link at file, found under root: the file it
// leads to, or why it is skipped. err is for a link that cannot be read.
func followLink(root, file string) (fi fs.FileInfo, why string, err error) {
	target, err := os.Readlink(file)
	if err != nil {
		return nil, "", fmt.Errorf("failed to read the link %s: %w", file, unwrapPathError(err))
	}
	fi, err = os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "dangling link to " + target, nil
	case errors.Is(err, syscall.ELOOP):
		return nil, "link loop through " + target, nil
	case err != nil:
		return nil, "", fmt.Errorf("failed to follow the link %s: %w", file, unwrapPathError(err))
	}
	resolved, err := filepath.EvalSymlinks(file)
	if err != nil {
		return nil, "", fmt.Errorf("failed to follow the link %s: %w", file, unwrapPathError(err))
	}
	if rel, err := filepath.Rel(root, resolved); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return nil, "link to " + target + ", outside the folder", nil
	}
	switch {
	case fi.IsDir():
		return nil, "link to the directory " + target + " (links to directories are not followed)", nil
	case !fi.Mode().IsRegular():
		return nil, "link to " + target + ", not a regular file", nil
	}
	return fi, "", nil
}

// repoFolder checks --path-in-repo and returns it as a folder of the
// repository ("" for the root). Leading and trailing slashes are dropped,
// as huggingface_hub drops a leading one.
func repoFolder(pathInRepo string) (string, error) {
	prefix := strings.Trim(pathInRepo, "/")
	if prefix == "" || prefix == "." {
		return "", nil
	}
	if err := checkRepoPath(prefix); err != nil {
		return "", clikit.Errorf(clikit.ExitUsage, "give a folder inside the repository, like v2 or checkpoints/epoch-3",
			"--path-in-repo %q: %v", pathInRepo, err)
	}
	return prefix, nil
}

// checkRepoPath says what is wrong with p as a file or folder path in a Hub
// repository, or nil. huggingface_hub refuses a path starting with ".." and
// any ".git" component; the Hub answers 400 to others only after the
// upload. These rules are stricter, so that nothing is sent that could not
// be committed, or would land somewhere else than meant.
func checkRepoPath(p string) error {
	switch {
	case !utf8.ValidString(p):
		return errors.New("not valid UTF-8")
	case p == "":
		return errors.New("empty")
	case strings.HasPrefix(p, "/"):
		return errors.New("starts with /: paths in a repository are relative to its root")
	case strings.Contains(p, "\\"):
		return errors.New("contains a backslash: use / between folders")
	case strings.ContainsFunc(p, unicode.IsControl):
		return errors.New("contains a control character")
	}
	for part := range strings.SplitSeq(p, "/") {
		switch part {
		case "":
			return errors.New("has an empty folder name (//)")
		case ".", "..":
			return fmt.Errorf("has a %q component: paths cannot climb out of the repository or its folders", part)
		case ".git":
			return errors.New("is under .git, which is git's own data")
		}
	}
	return nil
}

// unwrapPathError drops the path from an *fs.PathError, which the message
// already names.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// deletions are the remote files to delete: those under pathInRepo whose
// path relative to it matches a pattern, except .gitattributes and the
// files being uploaded.
func deletions(remote []hub.RemoteFile, pathInRepo string, patterns globs, uploading []*hub.LocalFile) []string {
	prefix := strings.Trim(filepath.ToSlash(pathInRepo), "/")
	if prefix != "" && prefix != "." {
		prefix += "/"
	} else {
		prefix = ""
	}
	keep := map[string]bool{".gitattributes": true}
	for _, f := range uploading {
		keep[f.Path] = true
	}
	var out []string
	for _, r := range remote {
		rel, under := strings.CutPrefix(r.Path, prefix)
		if !under || keep[r.Path] || !patterns.match(rel) {
			continue
		}
		out = append(out, r.Path)
	}
	slices.Sort(out)
	return out
}
