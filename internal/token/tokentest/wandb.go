package tokentest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// Valid W&B API keys; every other key gets 401.
const (
	// WandBKey is a legacy key: 40 lowercase hex digits.
	WandBKey = "3c1724e53bfa95faf14372b7fd38a310870d96e2"
	// WandBKeyV1 is a key in the newer prefixed format.
	WandBKeyV1 = "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"
)

// NewWandB starts a fake W&B API whose valid keys, WandBKey and WandBKeyV1,
// both belong to alice. See NewWandBWith.
func NewWandB(behaviour string) (*Server, error) {
	return NewWandBWith(behaviour, []Account{{Token: WandBKey, Identity: DefaultUser}, {Token: WandBKeyV1, Identity: DefaultUser}})
}

// NewWandBWith starts a fake W&B API answering POST /graphql (Basic auth,
// user "api", the key as password) for the accounts' keys, each viewer
// named by its Identity; point WANDB_BASE_URL at its URL. W&B keys have no
// role. Behaviours:
//
//   - ok: the accounts' keys get their viewer
//   - invalid: every key gets 401
//   - null-viewer: every key gets 200 with "viewer": null, which is how W&B
//     says "not logged in" when it does not answer 401
//   - flaky: the first two requests get 503, then like ok
//   - slow: every answer waits SlowDelay (or until the client gives up)
//
// A request without Authorization is anonymous: 200 with a null viewer.
func NewWandBWith(behaviour string, accounts []Account) (*Server, error) {
	f, err := newFake("W&B", behaviour, "ok", "invalid", "null-viewer", "flaky", "slow")
	if err != nil {
		return nil, err
	}
	wb := &wandbFake{fake: f, accounts: accounts}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", wb.graphql)
	return f.start(mux), nil
}

type wandbFake struct {
	*fake
	accounts []Account
}

func (wb *wandbFake) graphql(w http.ResponseWriter, r *http.Request) {
	if wb.misbehave(w, r, wandbErrors("service unavailable")) {
		return
	}
	var req struct {
		Query string `json:"query"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" {
		WriteJSON(w, http.StatusBadRequest, wandbErrors("must provide query string"))
		return
	}
	// The fake knows one query; anything else is a client bug worth seeing.
	if !strings.Contains(req.Query, "viewer") {
		WriteJSON(w, http.StatusBadRequest, wandbErrors("the fake W&B only answers the viewer query"))
		return
	}

	nullViewer := map[string]any{"data": map[string]any{"viewer": nil}}
	user, key, sent := r.BasicAuth()
	a, known := byToken(wb.accounts, key, "")
	switch {
	case !sent || wb.behaviour == "null-viewer":
		WriteJSON(w, http.StatusOK, nullViewer)
	case user != "api" || !known || wb.behaviour == "invalid":
		WriteJSON(w, http.StatusUnauthorized, wandbErrors("user is not logged in"))
	default:
		viewer := map[string]string{"id": base64.StdEncoding.EncodeToString([]byte("User:" + a.Identity)), "username": a.Identity, "entity": a.Identity}
		WriteJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"viewer": viewer}})
	}
}

// wandbErrors is a GraphQL error body.
func wandbErrors(message string) map[string]any {
	return map[string]any{"errors": []map[string]string{{"message": message}}}
}
