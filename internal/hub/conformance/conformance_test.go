// Package conformance checks the fake Hub against the official JavaScript
// client, @huggingface/hub: if the real client can log in, upload (regular,
// LFS and multipart) and commit against the fake, the fake speaks the Hub's
// protocol closely enough for hubupload's tests to mean something.
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenguard/tokenguard/internal/hub/hubtest"
)

// TestJavaScriptClient runs testdata/conformance.mjs with node. It needs
// node and the npm package installed in testdata (`npm ci` there, as
// .ci/run does); without them it is skipped with the reason.
func TestJavaScriptClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the JavaScript conformance test needs node ≥ 18 and `npm ci` in internal/hub/conformance/testdata")
	}
	if _, err := os.Stat(filepath.Join("testdata", "node_modules", "@huggingface", "hub", "package.json")); err != nil {
		t.Skip("@huggingface/hub is not installed: run `npm ci` in internal/hub/conformance/testdata (.ci/run does)")
	}
	h, err := hubtest.Start(hubtest.Options{ChunkSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	dir := t.TempDir()
	big := make([]byte, 5<<19) // 2.5 MiB: three parts of 1 MiB
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	contents := map[string][]byte{
		"README.md":         []byte("# conformance\n\nUploaded by huggingface.js.\n"),
		"model.safetensors": []byte("LFS by the default .gitattributes"),
		"big.bin":           big,
	}
	for name, data := range contents {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "conformance.mjs")
	cmd.Dir = "testdata"
	cmd.Env = append(os.Environ(), "HUB_URL="+h.URL, "HF_TOKEN="+hubtest.TokenWrite, "FILES_DIR="+dir, "REPO=alice/js-conformance")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if strings.Contains(string(stdout)+stderr.String(), hubtest.TokenWrite) {
		t.Error("the script printed the token")
	}
	if err != nil {
		t.Fatalf("node conformance.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr.String())
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		steps[m["step"].(string)] = m
	}

	who := steps["whoami"]
	if who["name"] != hubtest.User || who["type"] != "user" || who["role"] != "write" || who["createdAtIsDate"] != true {
		t.Errorf("whoAmI parsed as %v", who)
	}

	commits := h.Commits("model", "alice/js-conformance")
	if len(commits) != 3 {
		t.Fatalf("%d commits, want the initial one, uploadFiles' and commit's: %+v", len(commits), commits)
	}
	if steps["uploadFiles"]["oid"] != commits[1].ID || commits[1].Title != "Upload from huggingface.js" {
		t.Errorf("uploadFiles answered %v; the fake has %+v", steps["uploadFiles"], commits[1])
	}
	if steps["commit"]["oid"] != commits[2].ID || commits[2].Parent != commits[1].ID {
		t.Errorf("commit answered %v; the fake has %+v", steps["commit"], commits[2])
	}
	files := h.Files("model", "alice/js-conformance")
	if _, ok := files["README.md"]; ok {
		t.Error("README.md was not deleted")
	}
	for name, lfs := range map[string]bool{"model.safetensors": true, "big.bin": true} {
		f, ok := files[name]
		if !ok || !bytes.Equal(f.Data, contents[name]) || f.LFS != lfs {
			t.Errorf("%s: stored %v lfs=%v, want the same bytes, lfs=%v", name, ok, f.LFS, lfs)
		}
	}
	if n := h.Count("part"); n != 3 {
		t.Errorf("%d parts uploaded, want 3", n)
	}
	if n := h.Count("complete"); n != 1 {
		t.Errorf("%d multipart completions, want 1", n)
	}
	// The regular file went inline in the first commit.
	if n := h.Count("preupload"); n != 1 {
		t.Errorf("%d preuploads, want 1", n)
	}
}
