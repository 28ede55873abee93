package hub

import (
	"context"
	"net/http"
	"slices"
	"time"
)

// WhoAmIPath is the Hub's token introspection endpoint. It is heavily
// rate-limited: call it once per job and cache the answer.
const WhoAmIPath = "/api/whoami-v2"

// AuthCheckPath is the endpoint that answers 200 when the token may write
// to the repository, 403 when it may not and 404 when it cannot see it.
func AuthCheckPath(repoType, id string) string {
	return "/api/" + repoType + "s/" + id + "/auth-check/write"
}

// WhoAmI is the part of the whoami-v2 answer tokenguard reads.
type WhoAmI struct {
	Name string `json:"name"`
	Orgs []struct {
		Name string `json:"name"`
	} `json:"orgs"`
	Auth struct {
		// ExpiresAt is set for OAuth and app tokens only.
		ExpiresAt   time.Time `json:"expiresAt"`
		AccessToken struct {
			DisplayName string    `json:"displayName"`
			Role        string    `json:"role"` // read, write or fineGrained
			CreatedAt   time.Time `json:"createdAt"`
			FineGrained struct {
				Scoped []struct {
					Permissions []string `json:"permissions"`
				} `json:"scoped"`
			} `json:"fineGrained"`
		} `json:"accessToken"`
	} `json:"auth"`
}

// CanWrite reports whether the token may write to some repository at all:
// a write token, or a fine-grained one with repo.write on something.
func (w WhoAmI) CanWrite() bool {
	switch w.Auth.AccessToken.Role {
	case "write":
		return true
	case "fineGrained":
		for _, s := range w.Auth.AccessToken.FineGrained.Scoped {
			if slices.Contains(s.Permissions, "repo.write") {
				return true
			}
		}
	}
	return false
}

// WhoAmI asks the Hub about the client's token. An answer other than 200
// is an *Error: 401 means the token is rejected (revoked, expired or
// mistyped). A 200 whose body is not the expected JSON wraps ErrBadAnswer.
func (c *Client) WhoAmI(ctx context.Context) (WhoAmI, error) {
	var w WhoAmI
	err := c.jsonCall(ctx, request{op: "whoami", method: http.MethodGet, url: c.Endpoint + WhoAmIPath, auth: true}, &w)
	return w, err
}

// AuthCheck asks the Hub whether the client's token may write to the
// repository: nil when it may, else an *Error whose status says why
// (401 token rejected, 403 no write access, 404 missing or not visible).
func (c *Client) AuthCheck(ctx context.Context, repoType, id string) error {
	return c.jsonCall(ctx, request{op: "auth-check", method: http.MethodGet, url: c.Endpoint + AuthCheckPath(repoType, id), auth: true}, nil)
}
