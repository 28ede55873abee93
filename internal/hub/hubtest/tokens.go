package hubtest

import "slices"

// Valid tokens, all belonging to User; every other token gets 401.
const (
	// TokenWrite is a classic token with the write role.
	TokenWrite = "hf_26nDVqhmE9ReI99WUZDPGFWR8lyGpWlbsz"
	// TokenRead is a classic token with the read role.
	TokenRead = "hf_xoxhMo1VAmvvPJh1lStazzqemqKO9ED8pw"
	// TokenFineGrainedWrite is a fine-grained token with repo.write on User
	// and on Org.
	TokenFineGrainedWrite = "hf_Rd6oNDr41fNY3G5atzX7nqI4YaDb9gnNlf"
	// TokenFineGrainedRead is a fine-grained token that may only read
	// repository content (repo.content.read) of User.
	TokenFineGrainedRead = "hf_rkjBxd87n1kmWra6Eh6MiJdAzysbVMkTwO"
	// TokenOtherUserWrite is a write token of OtherUser, not User: a token
	// that must not silently replace one of User's.
	TokenOtherUserWrite = "hf_Q8bLw3nTz0KcV5mRj7YhX2pDf9GsA4uEo1"
)

// OtherUser owns TokenOtherUserWrite.
const OtherUser = "bob"

// The account behind every valid token and the organisation it belongs to:
// the only namespaces a token can write to.
const (
	User = "alice"
	Org  = "ml-team"
)

// Hub object ids (24 hex digits, like the real ones).
const (
	userID = "6523f1c0a9b3e2d4f5a6b7c8"
	orgID  = "6523f1c0a9b3e2d4f5a6b7c9"
)

// grant is what a token may do, in the shape of whoami's accessToken.
type grant struct {
	role        string       // read, write or fineGrained
	user        string       // "" means User
	fineGrained *fineGrained // only for the fineGrained role
}

var (
	aliceEntity  = entity{ID: userID, Type: "user", Name: User}
	mlTeamEntity = entity{ID: orgID, Type: "org", Name: Org}
)

var grants = map[string]grant{
	TokenWrite:          {role: "write"},
	TokenRead:           {role: "read"},
	TokenOtherUserWrite: {role: "write", user: OtherUser},
	TokenFineGrainedWrite: {role: "fineGrained", fineGrained: &fineGrained{
		Global: []string{},
		Scoped: []scoped{
			{Entity: aliceEntity, Permissions: []string{"repo.content.read", "repo.write"}},
			{Entity: mlTeamEntity, Permissions: []string{"repo.content.read", "repo.write"}},
		},
	}},
	TokenFineGrainedRead: {role: "fineGrained", fineGrained: &fineGrained{
		Global: []string{},
		Scoped: []scoped{
			{Entity: aliceEntity, Permissions: []string{"repo.content.read"}},
		},
	}},
}

// canWrite reports whether the grant may write to repositories in namespace:
// a write token anywhere its user may, a fine-grained one only where it
// holds repo.write.
func (g grant) canWrite(namespace string) bool {
	switch g.role {
	case "write":
		if g.user != "" {
			return namespace == g.user
		}
		return namespace == User || namespace == Org
	case "fineGrained":
		for _, s := range g.fineGrained.Scoped {
			if s.Entity.Name == namespace && slices.Contains(s.Permissions, "repo.write") {
				return true
			}
		}
	}
	return false
}
