package tokentest

import (
	"net/http"
	"strings"
)

// OpenAIKey is the valid OpenAI project key; every other key gets 401.
const OpenAIKey = "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"

// NewOpenAI starts a fake OpenAI API whose one valid key, OpenAIKey,
// belongs to DefaultOpenAIOrg. See NewOpenAIWith.
func NewOpenAI(behaviour string) (*Server, error) {
	return NewOpenAIWith(behaviour, []Account{{Token: OpenAIKey, Identity: DefaultOpenAIOrg}})
}

// NewOpenAIWith starts a fake OpenAI API answering GET /v1/models (Bearer
// auth) for the accounts' keys, with the key's organisation (Identity) in
// the openai-organization header, as OpenAI documents for every answer.
// OpenAI reports no role for a key.
// Its URL ends in /v1, because OPENAI_BASE_URL includes the version
// (https://api.openai.com/v1): set OPENAI_BASE_URL to the URL as it is.
// Behaviours:
//
//   - ok: the accounts' keys get the model list
//   - invalid: every key gets 401 invalid_api_key
//   - flaky: the first two requests get 503, then like ok
//   - slow: every answer waits SlowDelay (or until the client gives up)
func NewOpenAIWith(behaviour string, accounts []Account) (*Server, error) {
	f, err := newFake("OpenAI", behaviour, "ok", "invalid", "flaky", "slow")
	if err != nil {
		return nil, err
	}
	o := &openaiFake{fake: f, accounts: accounts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", o.models)
	s := f.start(mux)
	s.URL += "/v1"
	return s, nil
}

type openaiFake struct {
	*fake
	accounts []Account
}

func (o *openaiFake) models(w http.ResponseWriter, r *http.Request) {
	if o.misbehave(w, r, openaiError("The server is overloaded or not ready yet.", "server_error", "")) {
		return
	}
	scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	a, known := byToken(o.accounts, key, "")
	switch {
	case !strings.EqualFold(scheme, "Bearer") || key == "":
		WriteJSON(w, http.StatusUnauthorized, openaiError(
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
			"invalid_request_error", ""))
	case !known || o.behaviour == "invalid":
		WriteJSON(w, http.StatusUnauthorized, openaiError(
			"Incorrect API key provided: "+maskKey(key)+". You can find your API key at https://platform.openai.com/account/api-keys.",
			"invalid_request_error", "invalid_api_key"))
	default:
		w.Header().Set("openai-organization", a.Identity)
		WriteJSON(w, http.StatusOK, map[string]any{
			"object": "list",
			"data": []map[string]any{
				{"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
			},
		})
	}
}

// openaiError is OpenAI's error body; an empty code is JSON null.
func openaiError(message, typ, code string) map[string]any {
	e := map[string]any{"message": message, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	return map[string]any{"error": e}
}

// maskKey hides a key as OpenAI does, keeping at most the prefix up to its
// last dash (capped at 8 characters) and the last 4 characters.
func maskKey(key string) string {
	if len(key) < 16 {
		return "****"
	}
	prefix := key[:strings.LastIndex(key[:8], "-")+1]
	return prefix + strings.Repeat("*", 8) + key[len(key)-4:]
}
