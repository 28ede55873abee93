package hubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// discussion is one discussion of a repository added with AddGitRepo.
type discussion struct {
	num      int
	title    string
	pr       bool
	comments []string
}

// discussionPage is how many discussions a page of the listing holds, as
// on the Hub.
const discussionPage = 50

// AddDiscussion opens a discussion (or pull request) on a repository added
// with AddGitRepo, with one comment per text, and returns its number.
func (h *Hub) AddDiscussion(repoType, id, title string, pr bool, comments ...string) (int, error) {
	h.h.gitMu.Lock()
	defer h.h.gitMu.Unlock()
	g := h.h.gitRepos[repoKey(kindOf(repoType), id)]
	if g == nil {
		return 0, fmt.Errorf("no repository %s %s: add it with AddGitRepo first", repoType, id)
	}
	g.discussions = append(g.discussions, &discussion{num: len(g.discussions) + 1, title: title, pr: pr, comments: comments})
	return len(g.discussions), nil
}

// apiGitRepo finds the repository of an API path among those added with
// AddGitRepo, answering 404 itself when it is not there or not readable.
func (h *hub) apiGitRepo(w http.ResponseWriter, r *http.Request) *gitRepo {
	kind, id, ok := target(r)
	h.gitMu.Lock()
	g := h.gitRepos[repoKey(kind, id)]
	h.gitMu.Unlock()
	if !ok || g == nil {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeError(w, http.StatusNotFound, "Repository not found")
		return nil
	}
	if !h.canRead(w, r, g) {
		return nil
	}
	return g
}

// listDiscussions answers GET /api/{kind}/{ns}/{name}/discussions?p=N.
func (h *hub) listDiscussions(w http.ResponseWriter, r *http.Request) {
	g := h.apiGitRepo(w, r)
	if g == nil {
		return
	}
	p, _ := strconv.Atoi(r.URL.Query().Get("p"))
	h.gitMu.Lock()
	all := g.discussions
	h.gitMu.Unlock()
	start := min(max(p, 0)*discussionPage, len(all))
	end := min(start+discussionPage, len(all))
	list := []map[string]any{}
	for _, d := range all[start:end] {
		list = append(list, map[string]any{"num": d.num, "title": d.title, "isPullRequest": d.pr, "status": "open",
			"author": map[string]any{"name": User}, "createdAt": time.Unix(1700000000, 0).UTC()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"discussions": list, "count": len(all), "start": start, "numClosedDiscussions": 0})
}

// discussionDetails answers GET /api/{kind}/{ns}/{name}/discussions/{num}.
func (h *hub) discussionDetails(w http.ResponseWriter, r *http.Request) {
	g := h.apiGitRepo(w, r)
	if g == nil {
		return
	}
	num, _ := strconv.Atoi(r.PathValue("num"))
	h.gitMu.Lock()
	var d *discussion
	if num >= 1 && num <= len(g.discussions) {
		d = g.discussions[num-1]
	}
	h.gitMu.Unlock()
	if d == nil {
		writeError(w, http.StatusNotFound, "Discussion not found")
		return
	}
	events := []map[string]any{}
	for i, c := range d.comments {
		events = append(events, map[string]any{
			"id": fmt.Sprintf("6571%020x", d.num*1000+i), "type": "comment",
			"createdAt": time.Unix(1700000000+int64(i), 0).UTC(), "author": map[string]any{"name": User},
			"data": map[string]any{"edited": false, "hidden": false, "latest": map[string]any{"raw": c, "html": c}},
		})
	}
	events = append(events, map[string]any{"id": fmt.Sprintf("6571%020x", d.num*1000+999), "type": "status-change",
		"createdAt": time.Unix(1700001000, 0).UTC(), "author": map[string]any{"name": User}, "data": map[string]any{"status": "open"}})
	writeJSON(w, http.StatusOK, map[string]any{"num": d.num, "title": d.title, "isPullRequest": d.pr, "status": "open", "events": events})
}
