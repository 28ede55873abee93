package hub

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokenguard/tokenguard/internal/retry"
)

// Operation is one change of a commit.
type Operation struct {
	Path   string
	Delete bool // remove the file at Path
	// An LFS file is committed by reference to its uploaded object.
	LFS  bool
	OID  string
	Size int64
	// Content of a regular file, read again for every attempt.
	Content Source
}

// CommitRequest is a commit to make on top of Parent.
type CommitRequest struct {
	Summary, Description string
	// Parent is the head the commit was planned on. The Hub refuses the
	// commit (412) when the branch has moved; and after a lost answer it is
	// how Commit tells whether the commit landed.
	Parent string
	Ops    []Operation
}

// CommitResult is the commit made.
type CommitResult struct {
	OID, URL string
	// Recovered is true when the Hub's answer was lost and the commit was
	// found on the branch instead of being sent again.
	Recovered bool
}

// ErrBranchMoved means someone else committed to the branch during the
// upload, so this commit was not made.
var ErrBranchMoved = errors.New("the branch moved during the upload")

// Commit makes the commit. A commit whose answer was lost (a dropped
// connection, a 5xx from a proxy) may have landed, so before every new
// attempt Commit reads the branch: if its head is a commit with our summary
// on top of Parent, that is ours and it is returned; if the head is still
// Parent, the commit is sent again; anything else is ErrBranchMoved.
func (c *Client) Commit(ctx context.Context, r Repo, cr CommitRequest) (CommitResult, error) {
	if cr.Parent == "" {
		return CommitResult{}, errors.New("commit: no parent commit: read the branch head first")
	}
	size, err := c.ndjson(io.Discard, cr)
	if err != nil {
		return CommitResult{}, fmt.Errorf("commit: %w", err)
	}
	target := c.Endpoint + r.api() + "/commit/" + url.PathEscape(r.rev())
	var result CommitResult
	attempt := 0
	err = c.policy("commit").Do(ctx, func(ctx context.Context) error {
		attempt++
		if attempt > 1 {
			landed, err := c.landed(ctx, r, cr)
			if err != nil {
				return retry.Permanent(err)
			}
			if landed != "" {
				result = CommitResult{OID: landed, URL: c.commitURL(r, landed), Recovered: true}
				return nil
			}
		}
		pr, pw := io.Pipe()
		go func() {
			_, err := c.ndjson(pw, cr)
			pw.CloseWithError(err)
		}()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, pr)
		if err != nil {
			pr.Close()
			return retry.Permanent(err)
		}
		req.ContentLength = size
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+c.Token)
		if c.UserAgent != "" {
			req.Header.Set("User-Agent", c.UserAgent)
		}
		resp, err := c.httpClient().Do(req)
		pr.Close()
		if err != nil {
			if retry.Retryable(err) {
				return err
			}
			return retry.Permanent(err)
		}
		if retry.RetryableStatus(resp.StatusCode) {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			resp.Body.Close()
			return &retry.StatusError{StatusCode: resp.StatusCode, Header: resp.Header.Clone(), Body: string(body)}
		}
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			e := apiError("commit", resp)
			if resp.StatusCode == http.StatusPreconditionFailed {
				return retry.Permanent(fmt.Errorf("%w: %w", ErrBranchMoved, e))
			}
			return retry.Permanent(e)
		}
		defer resp.Body.Close()
		var answer struct {
			CommitOid string `json:"commitOid"`
			CommitURL string `json:"commitUrl"`
		}
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&answer); err != nil {
			// The commit landed but its answer broke off: the next
			// attempt finds it on the branch.
			return fmt.Errorf("commit: %w: %w", ErrBadAnswer, err)
		}
		result = CommitResult{OID: answer.CommitOid, URL: answer.CommitURL}
		return nil
	})
	if err != nil {
		if strings.HasPrefix(err.Error(), "commit") {
			return CommitResult{}, err
		}
		return CommitResult{}, fmt.Errorf("commit: %w", err)
	}
	return result, nil
}

// commitURL is the web page of a commit.
func (c *Client) commitURL(r Repo, oid string) string {
	prefix := ""
	if r.Type != "model" {
		prefix = r.Type + "s/"
	}
	return c.Endpoint + "/" + prefix + r.ID + "/commit/" + oid
}

// landed reads the branch to find out whether an earlier attempt of the
// commit took effect: it returns the commit id when it did, "" when the
// branch is unchanged.
func (c *Client) landed(ctx context.Context, r Repo, cr CommitRequest) (string, error) {
	head, err := c.Head(ctx, r)
	if err != nil {
		return "", fmt.Errorf("commit: the Hub's answer was lost and checking whether the commit landed failed: %w", err)
	}
	if head == cr.Parent {
		return "", nil
	}
	history, err := c.History(ctx, r)
	if err != nil {
		return "", fmt.Errorf("commit: the Hub's answer was lost and checking whether the commit landed failed: %w", err)
	}
	if len(history) >= 2 && history[0].ID == head && history[1].ID == cr.Parent && history[0].Title == cr.Summary {
		return head, nil
	}
	return "", fmt.Errorf("commit: %w: the head is now %s, not %s", ErrBranchMoved, short(head), short(cr.Parent))
}

// ndjson writes the commit body: a header line, then one line per
// operation, regular files base64-encoded as they are read. It returns the
// number of bytes written, so the same call on io.Discard gives the
// Content-Length.
func (c *Client) ndjson(w io.Writer, cr CommitRequest) (int64, error) {
	cw := &countWriter{w: bufio.NewWriterSize(w, 64<<10)}
	enc := json.NewEncoder(cw)
	header := map[string]any{"summary": cr.Summary, "description": cr.Description, "parentCommit": cr.Parent}
	if err := enc.Encode(map[string]any{"key": "header", "value": header}); err != nil {
		return 0, err
	}
	for _, op := range cr.Ops {
		var err error
		switch {
		case op.Delete:
			err = enc.Encode(map[string]any{"key": "deletedFile", "value": map[string]string{"path": op.Path}})
		case op.LFS:
			err = enc.Encode(map[string]any{"key": "lfsFile", "value": map[string]any{"path": op.Path, "algo": "sha256", "oid": op.OID, "size": op.Size}})
		default:
			err = writeFileLine(cw, op)
		}
		if err != nil {
			return cw.n, err
		}
	}
	return cw.n, cw.w.(*bufio.Writer).Flush()
}

// writeFileLine writes {"key":"file","value":{"path":…,"content":…,"encoding":"base64"}}
// streaming the content through a base64 encoder.
func writeFileLine(w io.Writer, op Operation) error {
	path, err := json.Marshal(op.Path)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, `{"key":"file","value":{"path":%s,"encoding":"base64","content":"`, path); err != nil {
		return err
	}
	rc, err := op.Content.Section(0, op.Size)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", op.Path, err)
	}
	defer rc.Close()
	enc := base64.NewEncoder(base64.StdEncoding, w)
	n, err := io.Copy(enc, rc)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", op.Path, err)
	}
	if n != op.Size {
		return fmt.Errorf("%s changed during the upload: it has %d bytes, not %d", op.Path, n, op.Size)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\"}}\n")
	return err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
