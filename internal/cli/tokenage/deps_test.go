package tokenage

import (
	"os/exec"
	"strings"
	"testing"
)

// The shell fast path must not link the network stack: linking
// internal/token (gRPC, net/http) adds about 1.7 ms to every start
// (BENCHMARKS.md).
func TestFastPathLinksNoNetworkCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/tokenguard/tokenguard/cmd/tokenage").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(pkg, "google.golang.org/grpc"), pkg == "net/http", pkg == "net",
			pkg == "github.com/tokenguard/tokenguard/internal/token":
			t.Errorf("cmd/tokenage links %s", pkg)
		}
	}
}
