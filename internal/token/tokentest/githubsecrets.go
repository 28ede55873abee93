package tokentest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/nacl/box"
)

// githubSecrets is the Actions secrets API of the fake: it makes a real
// key pair, decrypts every PUT with it (a value sealed to another key, or
// not sealed at all, is refused as GitHub refuses it), and keeps the
// plaintext for tests to compare, never printing it.
type githubSecrets struct {
	pub, priv *[32]byte
	keyID     string
	failPut   int // the PUT with this number (from 1) answers 403, once

	mu      sync.Mutex
	puts    int
	secrets map[string]storedSecret // by path: /repos/o/r/actions/secrets/NAME
}

type storedSecret struct {
	value      string
	created    time.Time
	updated    time.Time
	visibility string
}

func newGitHubSecrets(failPut int) (*githubSecrets, error) {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &githubSecrets{pub: pub, priv: priv, keyID: "568250167242549743", failPut: failPut, secrets: map[string]storedSecret{}}, nil
}

// routes adds the repository, environment and organisation endpoints.
func (s *githubSecrets) routes(mux *http.ServeMux, auth func(http.ResponseWriter, *http.Request) bool) {
	for _, base := range []string{"/repos/{owner}/{repo}/actions/secrets", "/repos/{owner}/{repo}/environments/{env}/secrets", "/orgs/{org}/actions/secrets"} {
		mux.HandleFunc("GET "+base+"/public-key", func(w http.ResponseWriter, r *http.Request) {
			if auth(w, r) {
				WriteJSON(w, http.StatusOK, map[string]string{"key_id": s.keyID, "key": base64.StdEncoding.EncodeToString(s.pub[:])})
			}
		})
		mux.HandleFunc("PUT "+base+"/{name}", func(w http.ResponseWriter, r *http.Request) {
			if auth(w, r) {
				s.put(w, r, strings.HasPrefix(base, "/orgs/"))
			}
		})
		mux.HandleFunc("GET "+base+"/{name}", func(w http.ResponseWriter, r *http.Request) {
			if auth(w, r) {
				s.get(w, r)
			}
		})
	}
}

func (s *githubSecrets) put(w http.ResponseWriter, r *http.Request, org bool) {
	var body struct {
		EncryptedValue string `json:"encrypted_value"`
		KeyID          string `json:"key_id"`
		Visibility     string `json:"visibility"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request."})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	if s.puts == s.failPut {
		WriteJSON(w, http.StatusForbidden, map[string]string{"message": "Resource not accessible by personal access token"})
		return
	}
	sealed, err := base64.StdEncoding.DecodeString(body.EncryptedValue)
	plain, ok := box.OpenAnonymous(nil, sealed, s.pub, s.priv)
	if err != nil || !ok || body.KeyID != s.keyID || (org && body.Visibility == "") {
		WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request.\n\nBad encrypted_value, key_id or visibility."})
		return
	}
	now := time.Now().UTC().Truncate(time.Second)
	old, exists := s.secrets[r.URL.Path]
	st := storedSecret{value: string(plain), created: now, updated: now, visibility: body.Visibility}
	if exists {
		st.created = old.created
	}
	s.secrets[r.URL.Path] = st
	if exists {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *githubSecrets) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st, ok := s.secrets[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		WriteJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	meta := map[string]string{"name": r.PathValue("name"), "created_at": st.created.Format(time.RFC3339), "updated_at": st.updated.Format(time.RFC3339)}
	if st.visibility != "" {
		meta["visibility"] = st.visibility
	}
	WriteJSON(w, http.StatusOK, meta)
}

// Secret returns the decrypted value stored at an API path such as
// /repos/alice/app/actions/secrets/HF_TOKEN, for tests to compare.
func (s *Server) Secret(path string) (string, bool) {
	if s.secrets == nil {
		return "", false
	}
	s.secrets.mu.Lock()
	defer s.secrets.mu.Unlock()
	st, ok := s.secrets.secrets[path]
	return st.value, ok
}
