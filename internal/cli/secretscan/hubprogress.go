package secretscan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokenguard/tokenguard/internal/bytesize"
)

// hubProgress is the one line secretscan hub redraws on a terminal's
// stderr: repositories done of all, bytes fetched and scanned. A nil
// *hubProgress (stderr not a terminal, --no-progress, -v) draws nothing,
// so CI logs and redirected output never see it.
type hubProgress struct {
	w                io.Writer
	total, excluded  int
	done             atomic.Int64
	fetched, scanned atomic.Int64
	mu               sync.Mutex // one writer of the line at a time
	stop             chan struct{}
	stopped          sync.WaitGroup
}

// newHubProgress starts redrawing on w every interval when on.
func newHubProgress(w io.Writer, on bool, total, excluded int, interval time.Duration) *hubProgress {
	if !on {
		return nil
	}
	p := &hubProgress{w: w, total: total, excluded: excluded, stop: make(chan struct{})}
	p.draw()
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

// line is what the display shows, short enough for an 80-column terminal.
func (p *hubProgress) line() string {
	s := fmt.Sprintf("secretscan: %d/%d repositories, %s fetched, %s scanned", p.done.Load(), p.total,
		bytesize.Size(p.fetched.Load()), bytesize.Size(p.scanned.Load()))
	if p.excluded > 0 {
		s += fmt.Sprintf(" (%d excluded)", p.excluded)
	}
	return s
}

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[K"

func (p *hubProgress) draw() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, clearLine+p.line())
}

// repoDone counts a repository finished, read or not, and redraws.
func (p *hubProgress) repoDone() {
	if p == nil {
		return
	}
	p.done.Add(1)
	p.draw()
}

func (p *hubProgress) addFetched(n int64) {
	if p != nil {
		p.fetched.Add(n)
	}
}

func (p *hubProgress) addScanned(n int64) {
	if p != nil {
		p.scanned.Add(n)
	}
}

// above runs print, which writes whole lines on the same terminal, with
// the progress line cleared first; the next redraw puts it back below.
func (p *hubProgress) above(print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, clearLine)
	print()
}

// close stops the redraws and erases the line, leaving the terminal as it
// was for the summary and the exit message.
func (p *hubProgress) close() {
	if p == nil {
		return
	}
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, clearLine)
}

// fetchedSize is the size of what git stored in a fetched bare repository:
// its pack files and loose objects, about the bytes that came over the wire.
func fetchedSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(filepath.Join(dir, "objects"), func(_ string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
