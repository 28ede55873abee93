package secretscan

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressThrottlesAndClears(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{d: &scanner{stderr: &buf}, start: time.Now().Add(-time.Second)}
	p.update(1, 0)  // the walk is still counting
	p.update(2, 10) // within 100 ms of the last draw: skipped
	p.update(10, 10)
	p.finish()
	out := buf.String()
	if strings.Count(out, "commits") != 2 || !strings.Contains(out, "secretscan: 1 commits") ||
		!strings.Contains(out, "secretscan: 10/10 commits") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q", out)
	}
}
