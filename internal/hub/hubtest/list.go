package hubtest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listRepos answers GET /api/{models|datasets|spaces}?author=NAME like the
// Hub: the repositories added with AddGitRepo, private ones only to a token
// that may read them, a page at a time with the next page in a Link header.
func (h *hub) listRepos(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	if _, ok := repoKinds[kind]; !ok {
		h.notFound(w, r)
		return
	}
	q := r.URL.Query()
	author := q.Get("author")
	var g grant
	_, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if bearer {
		var ok bool
		if g, ok = h.authenticate(w, r); !ok {
			return // the Hub refuses a bad token rather than ignore it
		}
	}
	h.gitMu.Lock()
	var ids []*gitRepo
	for _, gr := range h.gitRepos {
		ns, _, _ := strings.Cut(gr.id, "/")
		if gr.kind != kind || (author != "" && ns != author) {
			continue
		}
		if gr.private && (!bearer || !g.canRead(ns)) {
			continue
		}
		ids = append(ids, gr)
	}
	h.gitMu.Unlock()
	slices.SortFunc(ids, func(a, b *gitRepo) int { return strings.Compare(a.id, b.id) })

	page := h.opts.ListPage
	if page <= 0 {
		page = 1000
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 && n < page {
		page = n
	}
	start, _ := strconv.Atoi(q.Get("cursor"))
	start = min(max(start, 0), len(ids))
	end := min(start+page, len(ids))
	out := []map[string]any{}
	for _, gr := range ids[start:end] {
		ns, _, _ := strings.Cut(gr.id, "/")
		item := map[string]any{"_id": "66" + strconv.Itoa(len(out)), "id": gr.id, "author": ns, "private": gr.private}
		if kind == "models" {
			item["modelId"] = gr.id
		}
		out = append(out, item)
	}
	if end < len(ids) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", strconv.Itoa(end))
		w.Header().Set("Link", "<"+h.url+r.URL.Path+"?"+next.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, out)
}
