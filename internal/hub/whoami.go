package hub

import (
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
