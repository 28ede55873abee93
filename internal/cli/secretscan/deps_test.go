package secretscan

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// secretscan runs in every commit hook, so whatever it links initialises on
// every commit. These packages cost start-up for code a hook never runs
// (GODEBUG=inittrace=1, issue 18): grpc-go with x/net/trace and the protobuf
// runtime 2.2 ms and 5.8 MB of binary (Modal's two calls are made over
// net/http instead), protowire's detrand reads the running binary at init,
// and go-git's top-level package links its transports and openpgp (git
// objects are read through its plumbing packages and our own reader).
func TestCommitHookLinksNoStartUpWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "github.com/tokenguard/tokenguard/cmd/secretscan")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // as install.sh builds it
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list listed %d packages; expected the whole graph", len(deps))
	}
	for _, p := range deps {
		switch {
		case strings.HasPrefix(p, "google.golang.org/grpc"),
			strings.HasPrefix(p, "google.golang.org/protobuf"),
			p == "github.com/go-git/go-git/v5",
			strings.HasPrefix(p, "github.com/go-git/go-git/v5/plumbing/transport"),
			strings.HasPrefix(p, "github.com/ProtonMail/go-crypto"):
			t.Errorf("cmd/secretscan links %s", p)
		}
	}
}
