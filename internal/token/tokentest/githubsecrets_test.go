package tokentest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

// The fake opens what libsodium's sealed box (x/crypto's SealAnonymous)
// made with its public key, and refuses a value sealed to another key.
func TestGitHubSecretsDecryptsPut(t *testing.T) {
	s, err := NewGitHub("ok")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	do := func(method, path string, body any) *http.Response {
		t.Helper()
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, s.URL+path, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+GitHubClassic)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := do("GET", "/repos/alice/app/actions/secrets/public-key", nil)
	var key struct{ KeyID, Key string }
	json.NewDecoder(resp.Body).Decode(&struct {
		KeyID *string `json:"key_id"`
		Key   *string `json:"key"`
	}{&key.KeyID, &key.Key})
	resp.Body.Close()
	raw, _ := base64.StdEncoding.DecodeString(key.Key)
	var pub [32]byte
	copy(pub[:], raw)
	sealed, _ := box.SealAnonymous(nil, []byte("the-new-value"), &pub, rand.Reader)
	path := "/repos/alice/app/actions/secrets/HF_TOKEN"
	if r := do("PUT", path, map[string]string{"encrypted_value": base64.StdEncoding.EncodeToString(sealed), "key_id": key.KeyID}); r.StatusCode != http.StatusCreated {
		t.Fatalf("PUT = %d", r.StatusCode)
	}
	if v, ok := s.Secret(path); !ok || v != "the-new-value" {
		t.Errorf("stored %q, %v", v, ok)
	}
	if r := do("GET", path, nil); r.StatusCode != http.StatusOK {
		t.Errorf("GET = %d", r.StatusCode)
	}
	other, _, _ := box.GenerateKey(rand.Reader)
	wrong, _ := box.SealAnonymous(nil, []byte("x"), other, rand.Reader)
	if r := do("PUT", path, map[string]string{"encrypted_value": base64.StdEncoding.EncodeToString(wrong), "key_id": key.KeyID}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("PUT sealed to another key = %d, want 422", r.StatusCode)
	}
	if v, _ := s.Secret(path); v != "the-new-value" {
		t.Errorf("a refused PUT changed the secret")
	}
}
