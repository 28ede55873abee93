package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// CreateRepo creates the repository. created is false when it already
// existed (409), which is not an error.
func (c *Client) CreateRepo(ctx context.Context, r Repo, private bool) (created bool, err error) {
	namespace, name, _ := strings.Cut(r.ID, "/")
	payload := map[string]any{"name": name, "organization": namespace, "type": r.Type, "private": private}
	if r.Type == "space" {
		payload["sdk"] = "static" // the Hub requires one; static needs no hardware
	}
	body, err := jsonBody(payload)
	if err != nil {
		return false, err
	}
	err = c.jsonCall(ctx, request{op: "create repository", method: http.MethodPost, url: c.Endpoint + "/api/repos/create",
		contentType: "application/json", auth: true, body: body}, nil)
	if IsStatus(err, http.StatusConflict) {
		return false, nil
	}
	return err == nil, err
}

// Head returns the commit id at the tip of the repository's branch.
func (c *Client) Head(ctx context.Context, r Repo) (string, error) {
	var info struct {
		SHA string `json:"sha"`
	}
	err := c.jsonCall(ctx, request{op: "read the branch head", method: http.MethodGet,
		url: c.Endpoint + r.api() + "/revision/" + url.PathEscape(r.rev()), auth: true}, &info)
	if err != nil {
		return "", err
	}
	if info.SHA == "" {
		return "", fmt.Errorf("read the branch head: the Hub's answer has no sha")
	}
	return info.SHA, nil
}

// CommitEntry is one commit of the history.
type CommitEntry struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// History returns the branch's commits, newest first (the first page is
// enough for checking what just happened).
func (c *Client) History(ctx context.Context, r Repo) ([]CommitEntry, error) {
	var out []CommitEntry
	err := c.jsonCall(ctx, request{op: "read the commit history", method: http.MethodGet,
		url: c.Endpoint + r.api() + "/commits/" + url.PathEscape(r.rev()), auth: true}, &out)
	return out, err
}

// RemoteFile is a file in the repository.
type RemoteFile struct {
	Path string
	Size int64
	OID  string // sha256 for LFS files, the git blob sha1 for regular ones
	LFS  bool
}

// nextLink reads the URL of the next page from a Link header.
var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)

// ListFiles lists every file of the branch, following the pages.
func (c *Client) ListFiles(ctx context.Context, r Repo) ([]RemoteFile, error) {
	next := c.Endpoint + r.api() + "/tree/" + url.PathEscape(r.rev()) + "?recursive=true&expand=false"
	var files []RemoteFile
	for next != "" {
		resp, err := c.send(ctx, request{op: "list the repository's files", method: http.MethodGet, url: next, auth: c.onEndpoint(next)})
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, apiError("list the repository's files", resp)
		}
		var page []struct {
			Type string `json:"type"`
			Path string `json:"path"`
			Size int64  `json:"size"`
			OID  string `json:"oid"`
			LFS  *struct {
				OID string `json:"oid"`
			} `json:"lfs"`
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("list the repository's files: %w: %w", ErrBadAnswer, err)
		}
		for _, it := range page {
			if it.Type != "file" {
				continue
			}
			f := RemoteFile{Path: it.Path, Size: it.Size, OID: it.OID}
			if it.LFS != nil {
				f.LFS, f.OID = true, it.LFS.OID
			}
			files = append(files, f)
		}
		next = ""
		if m := nextLink.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			next = m[1]
		}
	}
	return files, nil
}
