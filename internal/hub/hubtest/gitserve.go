package hubtest

import (
	"fmt"
	"net/http"
	"net/http/cgi"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// gitRepo is a bare repository on disk that the fake serves over git's
// smart HTTP protocol and lists in the listing API.
type gitRepo struct {
	kind, id string // kind: models, datasets or spaces
	dir      string
	private  bool

	discussions []*discussion // guarded by hub.gitMu
}

// AddGitRepo makes the fake serve the bare repository at dir as the Hub
// repository id of repoType (model, dataset or space): real git clones
// and fetches it through `git http-backend`, and the listing API names it.
// A private one is served only to a token that may read its namespace.
func (h *Hub) AddGitRepo(repoType, id, dir string, private bool) error {
	kind := kindOf(repoType)
	if _, ok := repoKinds[kind]; !ok {
		return fmt.Errorf("unknown repository type %q (valid: model, dataset, space)", repoType)
	}
	if ns, name, ok := strings.Cut(id, "/"); !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("repository id %q is not NAMESPACE/NAME", id)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	h.h.gitMu.Lock()
	defer h.h.gitMu.Unlock()
	if h.h.gitRepos == nil {
		h.h.gitRepos = map[string]*gitRepo{}
	}
	h.h.gitRepos[repoKey(kind, id)] = &gitRepo{kind: kind, id: id, dir: abs, private: private}
	return nil
}

// gitTarget finds the served repository of a git URL: /{ns}/{name}[.git]/…
// for models, /{datasets|spaces}/{ns}/{name}[.git]/… for the others.
func (h *hub) gitTarget(r *http.Request) *gitRepo {
	kind := "models"
	if k := r.PathValue("kind"); k != "" {
		if kind = gitKinds[k]; kind == "" {
			return nil
		}
	}
	name := strings.TrimSuffix(r.PathValue("name"), ".git")
	h.gitMu.Lock()
	defer h.gitMu.Unlock()
	return h.gitRepos[repoKey(kind, r.PathValue("namespace")+"/"+name)]
}

// canRead reports whether the request's token may read the repository,
// answering as the Hub does when not: git gets 401 (and would ask for
// credentials) without a valid token, 404 with one that may not read.
func (h *hub) canRead(w http.ResponseWriter, r *http.Request, g *gitRepo) bool {
	if !g.private {
		return true
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	gr, known := grants[token]
	if !known || h.behaviour == "invalid" || h.behaviour == "expired" {
		w.Header().Set("WWW-Authenticate", `Basic realm="Authentication required", charset="UTF-8"`)
		writeError(w, http.StatusUnauthorized, invalidCredentials)
		return false
	}
	ns, _, _ := strings.Cut(g.id, "/")
	if !gr.canRead(ns) {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeError(w, http.StatusNotFound, "Repository not found")
		return false
	}
	return true
}

// canRead reports whether the grant may read private repositories of
// namespace: classic tokens where their user may, fine-grained ones where
// they hold repo.content.read.
func (g grant) canRead(namespace string) bool {
	switch g.role {
	case "read", "write":
		return namespace == User || namespace == Org
	case "fineGrained":
		for _, s := range g.fineGrained.Scoped {
			if s.Entity.Name == namespace && slices.Contains(s.Permissions, "repo.content.read") {
				return true
			}
		}
	}
	return false
}

// gitUploadPack serves a fetch (info/refs?service=git-upload-pack and the
// POST to git-upload-pack) by running `git http-backend` as CGI on the
// repository. Pushes keep the fake's refusal (gitInfoRefs).
func (h *hub) gitUploadPack(w http.ResponseWriter, r *http.Request) {
	g := h.gitTarget(r)
	if g == nil {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeError(w, http.StatusNotFound, "Repository not found")
		return
	}
	if !h.canRead(w, r, g) {
		return
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		http.Error(w, "git is not installed", http.StatusInternalServerError)
		return
	}
	// http-backend finds the repository as GIT_PROJECT_ROOT + PATH_INFO,
	// less the service part; the CGI handler makes PATH_INFO from the path.
	rest := "/info/refs"
	if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
		rest = "/git-upload-pack"
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = rest
	handler := &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + g.dir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1",
			// The repository may belong to another user in a test's
			// temporary directory; it is the fake's own, so trust it.
			"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=safe.directory", "GIT_CONFIG_VALUE_0=*"},
		InheritEnv: []string{"PATH", "HOME"},
	}
	handler.ServeHTTP(w, r2)
}
