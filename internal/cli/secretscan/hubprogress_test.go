package secretscan

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestHubProgressDraws: the line counts repositories and bytes, each
// redraw erases the last, and close leaves the line empty.
func TestHubProgressDraws(t *testing.T) {
	var buf bytes.Buffer
	p := newHubProgress(&buf, true, 3, 2, time.Hour) // no tick: draws on events only
	p.addFetched(3 << 20)
	p.addScanned(2048)
	p.repoDone()
	p.above(func() { buf.WriteString("secretscan: warning: x\n") })
	p.repoDone()
	p.close()
	want := clearLine + "secretscan: 0/3 repositories, 0 bytes fetched, 0 bytes scanned (2 excluded)" +
		clearLine + "secretscan: 1/3 repositories, 3 MiB fetched, 2 KiB scanned (2 excluded)" +
		clearLine + "secretscan: warning: x\n" +
		clearLine + "secretscan: 2/3 repositories, 3 MiB fetched, 2 KiB scanned (2 excluded)" +
		clearLine
	if got := buf.String(); got != want {
		t.Errorf("drawn\n%q\nwant\n%q", got, want)
	}
}

// TestHubProgressOff: off (not a terminal), nothing is written and every
// method is safe to call.
func TestHubProgressOff(t *testing.T) {
	var buf bytes.Buffer
	p := newHubProgress(&buf, false, 3, 0, time.Millisecond)
	p.addFetched(1)
	p.addScanned(1)
	p.repoDone()
	printed := false
	p.above(func() { printed = true })
	p.close()
	if buf.Len() != 0 || !printed {
		t.Errorf("off: wrote %q, printed %v", buf.String(), printed)
	}
	if strings.Contains(buf.String(), "\x1b") {
		t.Error("escape codes written")
	}
}
