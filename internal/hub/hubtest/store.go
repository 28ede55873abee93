package hubtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxRegularSize is the largest file the Hub accepts inline in a commit;
// bigger ones must go through LFS.
const maxRegularSize = 10 << 20

// defaultGitattributes is the start of the .gitattributes the Hub writes in
// the first commit of every new repository: what goes to LFS by name.
const defaultGitattributes = `*.7z filter=lfs diff=lfs merge=lfs -text
*.arrow filter=lfs diff=lfs merge=lfs -text
*.bin filter=lfs diff=lfs merge=lfs -text
*.ckpt filter=lfs diff=lfs merge=lfs -text
*.gz filter=lfs diff=lfs merge=lfs -text
*.h5 filter=lfs diff=lfs merge=lfs -text
*.npy filter=lfs diff=lfs merge=lfs -text
*.onnx filter=lfs diff=lfs merge=lfs -text
*.parquet filter=lfs diff=lfs merge=lfs -text
*.pkl filter=lfs diff=lfs merge=lfs -text
*.pt filter=lfs diff=lfs merge=lfs -text
*.pth filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
*.tar filter=lfs diff=lfs merge=lfs -text
*.zip filter=lfs diff=lfs merge=lfs -text
`

// entry is one file in a commit's tree.
type entry struct {
	size int64
	lfs  bool
	oid  string // sha256 for LFS files, the git blob sha1 for regular ones
	data []byte // content of a regular file, or of an LFS object when kept
}

// commit is one commit on the main branch.
type commit struct {
	id, parent, title, message string
	date                       time.Time
	tree                       map[string]*entry
}

// object is an LFS object the storage holds.
type object struct {
	size int64
	data []byte // nil in sink mode
}

// repo is one repository. Only the main branch exists.
type repo struct {
	kind    string // models, datasets or spaces
	id      string // namespace/name
	private bool
	commits []*commit // oldest first
	objects map[string]*object
}

func (r *repo) head() *commit { return r.commits[len(r.commits)-1] }

// store holds every repository of the fake.
type store struct {
	mu    sync.Mutex
	repos map[string]*repo // by kind/id
	seq   int              // makes commit ids unique
}

// repoKey names a repository in the store.
func repoKey(kind, id string) string { return kind + "/" + id }

// lookup returns the repository, creating the implicit ones on first use:
// every repository exists unless its name starts with "missing" (those only
// exist once created through the API). The caller holds s.mu.
func (s *store) lookup(kind, id string) (*repo, bool) {
	if r, ok := s.repos[repoKey(kind, id)]; ok {
		return r, true
	}
	_, name, _ := strings.Cut(id, "/")
	if strings.HasPrefix(name, "missing") {
		return nil, false
	}
	return s.create(kind, id, false), true
}

// create makes a repository with the Hub's initial commit. The caller holds s.mu.
func (s *store) create(kind, id string, private bool) *repo {
	r := &repo{kind: kind, id: id, private: private, objects: map[string]*object{}}
	data := []byte(defaultGitattributes)
	tree := map[string]*entry{".gitattributes": {size: int64(len(data)), oid: gitBlobSHA1(data), data: data}}
	r.commits = []*commit{{id: s.commitID("initial commit", ""), title: "initial commit", date: time.Now().UTC(), tree: tree}}
	if s.repos == nil {
		s.repos = map[string]*repo{}
	}
	s.repos[repoKey(kind, id)] = r
	return r
}

// commitID is a fresh 40-hex id. The caller holds s.mu.
func (s *store) commitID(title, parent string) string {
	s.seq++
	sum := sha1.Sum(fmt.Appendf(nil, "%d\x00%s\x00%s", s.seq, parent, title))
	return hex.EncodeToString(sum[:])
}

// apply records a commit on top of head and returns it. The caller holds s.mu.
func (s *store) apply(r *repo, title, message string, add map[string]*entry, del []string) *commit {
	head := r.head()
	tree := maps.Clone(head.tree)
	for _, p := range del {
		delete(tree, p)
		// A deleted folder removes everything under it.
		for q := range tree {
			if strings.HasPrefix(q, strings.TrimSuffix(p, "/")+"/") {
				delete(tree, q)
			}
		}
	}
	maps.Copy(tree, add)
	c := &commit{id: s.commitID(title, head.id), parent: head.id, title: title, message: message, date: time.Now().UTC(), tree: tree}
	r.commits = append(r.commits, c)
	return c
}

// gitBlobSHA1 is the git object id of a blob with this content, as the Hub
// reports it for regular files.
func gitBlobSHA1(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// attributes is a parsed .gitattributes or .gitignore: the patterns of the
// lines that match, in order.
type patterns []*regexp.Regexp

// lfsPatterns reads the patterns that set filter=lfs.
func lfsPatterns(gitattributes string) patterns {
	var ps patterns
	for line := range strings.SplitSeq(gitattributes, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") || !slices.Contains(fields[1:], "filter=lfs") {
			continue
		}
		ps = append(ps, globRegexp(fields[0]))
	}
	return ps
}

// ignorePatterns reads a .gitignore (no negations: the fake needs few).
func ignorePatterns(gitignore string) patterns {
	var ps patterns
	for line := range strings.SplitSeq(gitignore, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		ps = append(ps, globRegexp(line))
	}
	return ps
}

// match reports whether a repository path matches any pattern. A pattern
// without a slash matches the base name, as in git.
func (ps patterns) match(p string) bool {
	for _, re := range ps {
		if re.MatchString(p) || re.MatchString(path.Base(p)) {
			return true
		}
	}
	return false
}

// globRegexp turns a git pattern into a regexp: "**" crosses directories,
// "*" and "?" do not, a trailing "/" matches everything under a directory.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	glob = strings.TrimPrefix(glob, "/")
	dir := strings.HasSuffix(glob, "/")
	glob = strings.TrimSuffix(glob, "/")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			if i+1 < len(glob) && glob[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if dir {
		b.WriteString("/.*")
	} else {
		b.WriteString("(/.*)?")
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
