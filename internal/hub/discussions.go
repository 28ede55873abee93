package hub

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Discussion is a discussion or pull request of a repository, as the
// listing names it.
type Discussion struct {
	Num           int    `json:"num"`
	Title         string `json:"title"`
	IsPullRequest bool   `json:"isPullRequest"`
}

// DiscussionEvent is one event of a discussion; comments carry text.
type DiscussionEvent struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"` // comment, status-change, commit, title-change
	CreatedAt time.Time `json:"createdAt"`
	Author    struct {
		Name string `json:"name"`
	} `json:"author"`
	Data struct {
		Latest struct {
			Raw string `json:"raw"`
		} `json:"latest"`
	} `json:"data"`
}

// Discussions lists every discussion and pull request of the repository,
// page by page (?p=N) until the count the Hub gives is reached.
func (c *Client) Discussions(ctx context.Context, r Repo) ([]Discussion, error) {
	var out []Discussion
	for p := 0; ; p++ {
		var page struct {
			Discussions []Discussion `json:"discussions"`
			Count       int          `json:"count"`
		}
		err := c.jsonCall(ctx, request{op: "list the discussions", method: http.MethodGet,
			url: c.Endpoint + r.api() + "/discussions?" + url.Values{"p": {strconv.Itoa(p)}}.Encode(), auth: true}, &page)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Discussions...)
		if len(page.Discussions) == 0 || len(out) >= page.Count {
			return out, nil
		}
	}
}

// DiscussionEvents returns the events of one discussion, oldest first.
func (c *Client) DiscussionEvents(ctx context.Context, r Repo, num int) ([]DiscussionEvent, error) {
	var d struct {
		Events []DiscussionEvent `json:"events"`
	}
	err := c.jsonCall(ctx, request{op: "read discussion #" + strconv.Itoa(num), method: http.MethodGet,
		url: c.Endpoint + r.api() + "/discussions/" + strconv.Itoa(num), auth: true}, &d)
	return d.Events, err
}
