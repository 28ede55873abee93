package tokentest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// wandbRequest is the viewer query with Basic auth api:key (none when key is empty).
func wandbRequest(t *testing.T, url, key string) *http.Request {
	req := newRequest(t, http.MethodPost, url+"/graphql", strings.NewReader(`{"query":"query Viewer { viewer { id username entity } }"}`))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.SetBasicAuth("api", key)
	}
	return req
}

const wandbAlice = `{"data":{"viewer":{"id":"VXNlcjphbGljZQ==","username":"alice","entity":"alice"}}}`

func TestWandBKeyShapes(t *testing.T) {
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(WandBKey) {
		t.Error("WandBKey is not 40 lowercase hex digits")
	}
	if !regexp.MustCompile(`^wandb_v1_[A-Za-z0-9]{40,}$`).MatchString(WandBKeyV1) {
		t.Error("WandBKeyV1 does not look like a wandb_v1_ key")
	}
}

func TestWandBOK(t *testing.T) {
	s := startFake(t, NewWandB, "ok")
	for _, key := range []string{WandBKey, WandBKeyV1} {
		resp, body := send(t, wandbRequest(t, s.URL, key))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, body %s", resp.StatusCode, body)
		}
		wantJSON(t, body, wandbAlice)
	}
}

func TestWandBRejects(t *testing.T) {
	s := startFake(t, NewWandB, "ok")

	resp, body := send(t, wandbRequest(t, s.URL, strings.Repeat("0", 40)))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong key: status = %d, want 401", resp.StatusCode)
	}
	wantJSON(t, body, `{"errors":[{"message":"user is not logged in"}]}`)

	req := wandbRequest(t, s.URL, "")
	req.SetBasicAuth("alice", WandBKey)
	if resp, _ := send(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("user other than api: status = %d, want 401", resp.StatusCode)
	}

	resp, body = send(t, wandbRequest(t, s.URL, ""))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("anonymous: status = %d, want 200", resp.StatusCode)
	}
	wantJSON(t, body, `{"data":{"viewer":null}}`)

	for _, query := range []string{`not json`, `{"query":""}`, `{"query":"{ project(name: \"x\") { id } }"}`} {
		req := newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(query))
		req.SetBasicAuth("api", WandBKey)
		if resp, _ := send(t, req); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("body %s: status = %d, want 400", query, resp.StatusCode)
		}
	}
}

func TestWandBNullViewer(t *testing.T) {
	s := startFake(t, NewWandB, "null-viewer")
	for _, key := range []string{WandBKey, "wrong"} {
		resp, body := send(t, wandbRequest(t, s.URL, key))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status = %d, want 200", resp.StatusCode)
		}
		wantJSON(t, body, `{"data":{"viewer":null}}`)
	}
}
