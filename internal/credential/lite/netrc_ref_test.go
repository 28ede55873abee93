package lite

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// pythonNetrc asks Python's netrc module, which the W&B client reads the
// file with, for the api.wandb.ai password of each file, or the line of its
// parse error.
const pythonNetrc = `
import json, netrc, sys, tempfile
out = []
for c in json.load(sys.stdin):
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(c)
    try:
        a = netrc.netrc(f.name).authenticators("api.wandb.ai")
        out.append({"pw": a[2] if a else "", "line": 0})
    except netrc.NetrcParseError as e:
        out.append({"pw": "", "line": e.lineno})
print(json.dumps(out))
`

// NetrcPassword refuses what Python's netrc refuses, on the same line, and
// finds the same password. Files with a default entry or the host twice are
// left out: Python falls back to default and keeps the last entry.
func TestNetrcAgreesWithPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: no reference to compare with")
	}
	files := []string{
		"", "machine api.wandb.ai login user password KEY", "machine api.wandb.ai\n\tlogin user\n\tpassword KEY\n",
		"machine\napi.wandb.ai password\nKEY", "machine api.wandb.ai password KEY login user",
		"machine github.com login a password GH\nmachine api.wandb.ai login b password KEY",
		"machine api.wandb.ai login password password KEY", "machine api.wandb.ai account password password KEY",
		"# machine api.wandb.ai password BAD\nmachine api.wandb.ai password KEY", "machine api.wandb.ai password KEY # the W&B key",
		"machine api.wandb.ai password KE#Y", "macdef init\nmachine api.wandb.ai password BAD\n\nmachine api.wandb.ai password KEY",
		"machine api.wandb.ai\r\npassword KEY\r\n", "  machine\tapi.wandb.ai \t password\tKEY  ",
		"machine", "machine api.wandb.ai\n  pasword KEY\n", "\npassword KEY\n", "machine a password b\nmacdef",
		"login x\n", "machine a\nlogin b\n\n\nfoo bar\n", "machine api.wandb.ai password",
	}
	in, _ := json.Marshal(files)
	cmd := exec.Command("python3", "-c", pythonNetrc)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("python3 netrc: %v", err)
	}
	var want []struct {
		PW   string `json:"pw"`
		Line int    `json:"line"`
	}
	if err := json.Unmarshal(out, &want); err != nil || len(want) != len(files) {
		t.Fatalf("python3 said %s (%v)", out, err)
	}
	for i, f := range files {
		pw, ferr := NetrcPassword([]byte(f), "api.wandb.ai")
		line := 0
		if ferr != nil {
			line = ferr.Line
		}
		if pw != want[i].PW || line != want[i].Line {
			t.Errorf("%q: password %q, malformed at line %d; Python: %q, line %d", f, pw, line, want[i].PW, want[i].Line)
		}
	}
}
