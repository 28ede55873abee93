package pushguard

import (
	"context"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/gitcli"
	"github.com/tokenguard/tokenguard/internal/push"
)

// updateViaGit is the pre-commit framework's update (PRE_COMMIT_FROM_REF,
// PRE_COMMIT_TO_REF) resolved through git, for a repository the fast reader
// hands to git (SHA-256).
func updateViaGit(dir, from, to string) ([]push.Update, error) {
	ctx := context.Background()
	r, err := gitcli.Open(ctx, dir)
	if err != nil {
		return nil, gitError(err)
	}
	defer r.Close()
	u := push.Update{LocalRef: "HEAD", RemoteRef: "HEAD", RemoteSHA: r.ZeroID()}
	if u.LocalSHA, err = r.Resolve(ctx, to); err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "run pushguard from the pre-commit framework's pre-push stage", "PRE_COMMIT_TO_REF=%s: %w", to, err)
	}
	if from != "" {
		if id, err := r.Resolve(ctx, from); err == nil {
			u.RemoteSHA = id
		}
	}
	return []push.Update{u}, nil
}
