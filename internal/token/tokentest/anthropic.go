package tokentest

import "net/http"

// AnthropicKey is the valid Anthropic API key; every other key gets 401.
const AnthropicKey = "sk-ant-api03-z5YjV2vRkoI-qr4gCqRB-ULe5-BGws3Tiv08ix_dquGDaNk7sXx1Axp5-cLnT2QiIVq0mEefX3gOFDwZ3SbvgniyD1VxvAA"

// NewAnthropic starts a fake Anthropic API whose one valid key,
// AnthropicKey, belongs to DefaultAnthropic. See NewAnthropicWith.
func NewAnthropic(behaviour string) (*Server, error) {
	return NewAnthropicWith(behaviour, []Account{{Token: AnthropicKey, Identity: DefaultAnthropic}})
}

// NewAnthropicWith starts a fake Anthropic API answering GET /v1/models
// for the accounts' keys, with the key in x-api-key and a required
// anthropic-version header; every answer to a valid key carries its
// organisation (Identity) in anthropic-organization-id, as Anthropic
// documents. Anthropic reports no role for a key. Point
// ANTHROPIC_BASE_URL at its URL (no /v1: Anthropic clients add it).
// Behaviours:
//
//   - ok: the accounts' keys get the model list
//   - invalid: every key gets 401 authentication_error
//   - flaky: the first two requests get 503, then like ok
//   - slow: every answer waits SlowDelay (or until the client gives up)
//
// A missing or unknown anthropic-version gets 400, as from the real API.
func NewAnthropicWith(behaviour string, accounts []Account) (*Server, error) {
	f, err := newFake("Anthropic", behaviour, "ok", "invalid", "flaky", "slow")
	if err != nil {
		return nil, err
	}
	a := &anthropicFake{fake: f, accounts: accounts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", a.models)
	return f.start(mux), nil
}

type anthropicFake struct {
	*fake
	accounts []Account
}

func (a *anthropicFake) models(w http.ResponseWriter, r *http.Request) {
	// Real 5xx answers carry a request-id too; clients log it.
	w.Header().Set("request-id", "req_011CTfakeRequest")
	if a.misbehave(w, r, anthropicError("api_error", "Service unavailable")) {
		return
	}
	switch version := r.Header.Get("anthropic-version"); version {
	case "2023-06-01", "2023-01-01":
	case "":
		WriteJSON(w, http.StatusBadRequest, anthropicError("invalid_request_error", "anthropic-version: header is required"))
		return
	default:
		WriteJSON(w, http.StatusBadRequest, anthropicError("invalid_request_error", "anthropic-version: invalid version "+version))
		return
	}
	key := r.Header.Get("x-api-key")
	acct, known := byToken(a.accounts, key, "")
	switch {
	case key == "":
		WriteJSON(w, http.StatusUnauthorized, anthropicError("authentication_error", "x-api-key header is required"))
	case !known || a.behaviour == "invalid":
		WriteJSON(w, http.StatusUnauthorized, anthropicError("authentication_error", "invalid x-api-key"))
	default:
		w.Header().Set("anthropic-organization-id", acct.Identity)
		model := map[string]string{
			"type":         "model",
			"id":           "claude-sonnet-4-5",
			"display_name": "Claude Sonnet 4.5",
			"created_at":   "2025-09-29T00:00:00Z",
		}
		WriteJSON(w, http.StatusOK, map[string]any{
			"data":     []map[string]string{model},
			"has_more": false,
			"first_id": model["id"],
			"last_id":  model["id"],
		})
	}
}

// anthropicError is Anthropic's error body.
func anthropicError(typ, message string) map[string]any {
	return map[string]any{
		"type":  "error",
		"error": map[string]string{"type": typ, "message": message},
	}
}
