package tokentest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// openaiRequest is GET {url}/models with a Bearer key (none when empty); url
// already ends in /v1, like OPENAI_BASE_URL.
func openaiRequest(t *testing.T, url, key string) *http.Request {
	req := newRequest(t, http.MethodGet, url+"/models", nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return req
}

func TestOpenAIKeyShape(t *testing.T) {
	if !regexp.MustCompile(`^sk-proj-[A-Za-z0-9_-]+T3BlbkFJ[A-Za-z0-9_-]+$`).MatchString(OpenAIKey) {
		t.Error("OpenAIKey does not look like a project key")
	}
}

func TestOpenAIURLIsBaseURL(t *testing.T) {
	s := startFake(t, NewOpenAI, "ok")
	if !strings.HasSuffix(s.URL, "/v1") {
		t.Errorf("URL = %q, want it to end in /v1 like OPENAI_BASE_URL", s.URL)
	}
}

func TestOpenAIOK(t *testing.T) {
	s := startFake(t, NewOpenAI, "ok")
	resp, body := send(t, openaiRequest(t, s.URL, OpenAIKey))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.StatusCode, body)
	}
	wantJSON(t, body, `{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"}]}`)
}

func TestOpenAIRejects(t *testing.T) {
	s := startFake(t, NewOpenAI, "ok")
	wrong := "sk-proj-" + strings.Repeat("x", 60) + "T3BlbkFJ" + strings.Repeat("y", 56) + "wxyz"
	resp, body := send(t, openaiRequest(t, s.URL, wrong))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
	wantJSON(t, body, `{"error":{"message":"Incorrect API key provided: sk-proj-********wxyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`)

	resp, body = send(t, openaiRequest(t, s.URL, ""))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no key: status = %d, want 401", resp.StatusCode)
	}
	if !strings.Contains(body, "You didn't provide an API key") {
		t.Errorf("no key: body %s", body)
	}
}

func TestOpenAIInvalidNeverEchoesKey(t *testing.T) {
	s := startFake(t, NewOpenAI, "invalid")
	_, body := send(t, openaiRequest(t, s.URL, OpenAIKey))
	if strings.Contains(body, OpenAIKey[8:len(OpenAIKey)-4]) {
		t.Errorf("the error body reveals the key: %s", body)
	}
}

func TestMaskKey(t *testing.T) {
	for key, want := range map[string]string{
		"sk-proj-abcdefghijklmnop1234": "sk-proj-********1234",
		"sk-abcdefghijklmnop1234":      "sk-********1234",
		"abcdefghijklmnop1234":         "********1234",
		"sk-short":                     "****",
	} {
		if got := maskKey(key); got != want {
			t.Errorf("maskKey(%q) = %q, want %q", key, got, want)
		}
	}
}
