package pushguard

import (
	"github.com/tokenguard/tokenguard/internal/push"
	"github.com/tokenguard/tokenguard/internal/token"
)

// wordHub gives the Hub check the next steps that only pushguard can word:
// its flags, and whether the push goes on (strict).
func wordHub(h *push.HubResult, strict bool) {
	switch {
	case h == nil:
	case h.Status == token.Unknown && strict:
		h.Hint = "check the network (or HF_ENDPOINT), or raise --timeout, then push again"
	case h.Status == token.Unknown:
		h.Hint = "the push goes on; use --strict to block it when the Hub cannot be reached"
	case h.Kind == token.KindRepoNotFound:
		h.Hint = "check the repository in the remote URL (git remote -v); create it on the Hub first, or use a token that can see it if it is private"
	}
}
