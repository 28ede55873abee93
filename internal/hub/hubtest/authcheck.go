package hubtest

import (
	"fmt"
	"net/http"
)

// authCheckWrite answers GET /api/{kind}/{namespace}/{name}/auth-check/write:
// 200 when the token may push to the repository, 403 when it may not, 404
// when the repository does not exist.
func (h *hub) authCheckWrite(w http.ResponseWriter, r *http.Request) {
	kind, namespace, name := r.PathValue("kind"), r.PathValue("namespace"), r.PathValue("name")
	if kind != "models" && kind != "datasets" && kind != "spaces" {
		h.notFound(w, r)
		return
	}
	g, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	h.store.mu.Lock()
	_, exists := h.store.lookup(kind, namespace+"/"+name)
	h.store.mu.Unlock()
	switch {
	case !exists:
		writeError(w, http.StatusNotFound, "Repository not found")
	case !g.canWrite(namespace):
		writeError(w, http.StatusForbidden, fmt.Sprintf("You don't have write access to %s/%s/%s with this token", kind, namespace, name))
	default:
		writeJSON(w, http.StatusOK, struct{}{})
	}
}
