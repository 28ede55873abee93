package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Listed is a repository the listing API names.
type Listed struct {
	ID      string `json:"id"`
	Private bool   `json:"private"`
}

// ListRepos lists the repositories of one type (model, dataset or space)
// whose author is a user or organisation, following the Link pages. With
// a token the private ones it may read are listed too.
func (c *Client) ListRepos(ctx context.Context, repoType, author string) ([]Listed, error) {
	op := "list the " + repoType + "s of " + author
	next := c.Endpoint + "/api/" + repoType + "s?" + url.Values{"author": {author}}.Encode()
	var out []Listed
	for next != "" {
		resp, err := c.send(ctx, request{op: op, method: http.MethodGet, url: next, auth: c.onEndpoint(next)})
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, apiError(op, resp)
		}
		var page []Listed
		err = json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", op, ErrBadAnswer, err)
		}
		out = append(out, page...)
		next = ""
		if m := nextLink.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			next = m[1]
		}
	}
	return out, nil
}

// GitURL is the repository's git URL on the endpoint, without a token:
// https://huggingface.co/alice/bert, …/datasets/alice/x, …/spaces/alice/app.
func (c *Client) GitURL(r Repo) string { return c.Endpoint + WebPath(r) }

// WebPath is the repository's path on the Hub's web site and git:
// /alice/bert, /datasets/alice/x, /spaces/alice/app.
func WebPath(r Repo) string {
	if r.Type == "model" {
		return "/" + r.ID
	}
	return "/" + r.Type + "s/" + r.ID
}

// GitRefsStatus asks for r's git refs as git's first request does, through
// the retry policy, which honours Retry-After (git shows a 429 but not its
// header), and returns the Hub's final status: 2xx readable, 401/403/404
// denied, anything else still failing.
func (c *Client) GitRefsStatus(ctx context.Context, r Repo) (int, error) {
	resp, err := c.send(ctx, request{op: "list the refs", method: http.MethodGet,
		url: c.GitURL(r) + "/info/refs?service=git-upload-pack", auth: true})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
