package hubupload

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/tokenguard/tokenguard/internal/hub"
)

// skippedDirs are never uploaded, as huggingface_hub's upload_folder skips
// them: git's own data and the Hub client's cache.
var skippedDirs = []string{".git", ".cache/huggingface"}

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

// collect lists the files to upload: every regular file under each folder
// (relative paths kept) and each file given (by its name), all placed under
// pathInRepo, filtered by include and exclude on the path relative to what
// was given.
func collect(paths []string, pathInRepo string, include, exclude globs) ([]*hub.LocalFile, error) {
	prefix := strings.Trim(filepath.ToSlash(pathInRepo), "/")
	if prefix == "." {
		prefix = ""
	}
	var files []*hub.LocalFile
	seen := map[string]string{}
	add := func(abs, rel string, size int64) error {
		if len(include) > 0 && !include.match(rel) || exclude.match(rel) {
			return nil
		}
		repoPath := path.Join(prefix, rel)
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
			return nil, err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, usageError("cannot upload %s: %v", p, unwrapPathError(err))
		}
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				return nil, usageError("cannot upload %s: not a regular file", p)
			}
			if err := add(abs, filepath.Base(abs), fi.Size()); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(abs, func(file string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("failed to read %s: %w", file, unwrapPathError(err))
			}
			rel, _ := filepath.Rel(abs, file)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if slices.Contains(skippedDirs, rel) || d.Name() == ".git" {
					return filepath.SkipDir
				}
				return nil
			}
			fi, err := os.Stat(file) // follows symbolic links, as the Python client does
			if err != nil {
				return fmt.Errorf("failed to read %s: %w", file, unwrapPathError(err))
			}
			if !fi.Mode().IsRegular() {
				return nil
			}
			return add(file, rel, fi.Size())
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(files, func(a, b *hub.LocalFile) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
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
