package tokentest

import (
	"net/http"
	"regexp"
	"testing"
)

// anthropicRequest is GET /v1/models with the x-api-key and
// anthropic-version given (each left out when empty).
func anthropicRequest(t *testing.T, url, key, version string) *http.Request {
	req := newRequest(t, http.MethodGet, url+"/v1/models", nil)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	if version != "" {
		req.Header.Set("anthropic-version", version)
	}
	return req
}

func TestAnthropicKeyShape(t *testing.T) {
	if !regexp.MustCompile(`^sk-ant-api03-[A-Za-z0-9_-]{93}AA$`).MatchString(AnthropicKey) {
		t.Error("AnthropicKey does not look like an API key")
	}
}

func TestAnthropicOK(t *testing.T) {
	s := startFake(t, NewAnthropic, "ok")
	resp, body := send(t, anthropicRequest(t, s.URL, AnthropicKey, "2023-06-01"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.StatusCode, body)
	}
	wantJSON(t, body, `{"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}`)
}

func TestAnthropicRejects(t *testing.T) {
	s := startFake(t, NewAnthropic, "ok")
	for _, c := range []struct {
		name, key, version string
		status             int
		body               string
	}{
		{"wrong key", "sk-ant-api03-wrong", "2023-06-01", 401,
			`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`},
		{"no key", "", "2023-06-01", 401,
			`{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}`},
		{"no version", AnthropicKey, "", 400,
			`{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: header is required"}}`},
		{"unknown version", AnthropicKey, "2099-01-01", 400,
			`{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: invalid version 2099-01-01"}}`},
	} {
		resp, body := send(t, anthropicRequest(t, s.URL, c.key, c.version))
		if resp.StatusCode != c.status {
			t.Errorf("%s: status = %d, want %d", c.name, resp.StatusCode, c.status)
		}
		wantJSON(t, body, c.body)
	}
}
