package hubtest

import (
	"cmp"
	"net/http"
	"time"
)

// timeLayout is how the Hub writes times: RFC 3339 with milliseconds, in UTC.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// whoamiResponse is the body of GET /api/whoami-v2 for a user token.
type whoamiResponse struct {
	Type     string  `json:"type"`
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Fullname string  `json:"fullname"`
	Email    *string `json:"email"`
	Orgs     []org   `json:"orgs"`
	Auth     auth    `json:"auth"`
}

type org struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	Fullname  string `json:"fullname"`
	RoleInOrg string `json:"roleInOrg"`
}

type auth struct {
	Type        string      `json:"type"`
	AccessToken accessToken `json:"accessToken"`
	// ExpiresAt is only sent for tokens that expire (OAuth and app tokens).
	ExpiresAt string `json:"expiresAt,omitempty"`
}

type accessToken struct {
	DisplayName string       `json:"displayName"`
	Role        string       `json:"role"`
	CreatedAt   string       `json:"createdAt"`
	FineGrained *fineGrained `json:"fineGrained,omitempty"`
}

type fineGrained struct {
	CanReadGatedRepos bool     `json:"canReadGatedRepos"`
	Global            []string `json:"global"`
	Scoped            []scoped `json:"scoped"`
}

type scoped struct {
	Entity      entity   `json:"entity"`
	Permissions []string `json:"permissions"`
}

type entity struct {
	ID   string `json:"_id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// whoami answers GET /api/whoami-v2. Every token was created 40 days ago,
// so the age checks have something to compute.
func (h *hub) whoami(w http.ResponseWriter, r *http.Request) {
	g, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	now := time.Now().UTC()
	resp := whoamiResponse{
		Type:     "user",
		ID:       userID,
		Name:     cmp.Or(g.user, User),
		Fullname: "Alice",
		Orgs:     []org{{Type: "org", ID: orgID, Name: Org, Fullname: "ML Team", RoleInOrg: "write"}},
		Auth: auth{
			Type: "access_token",
			AccessToken: accessToken{
				DisplayName: "ci",
				Role:        g.role,
				CreatedAt:   now.Add(-40 * 24 * time.Hour).Format(timeLayout),
				FineGrained: g.fineGrained,
			},
		},
	}
	if h.behaviour == "expiring" {
		resp.Auth.ExpiresAt = now.Add(2 * time.Hour).Format(timeLayout)
	}
	writeJSON(w, http.StatusOK, resp)
}
