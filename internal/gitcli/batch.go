package gitcli

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/tokenguard/tokenguard/internal/gitrepo"
)

// batch is a long-running `git cat-file --batch` (or --batch-check): one
// object id written, one answer read.
type batch struct {
	cmd    *exec.Cmd
	in     *bufio.Writer
	out    *bufio.Reader
	stderr bytes.Buffer
}

func (r *Repo) startBatch(mode string) (*batch, error) {
	// Not bound to a request's context: the process lives as long as the
	// Repo and Close stops it.
	b := &batch{cmd: r.command(context.Background(), "cat-file", mode)}
	b.cmd.Stderr = &b.stderr
	in, err := b.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("failed to run git cat-file: %w", err)
	}
	b.in, b.out = bufio.NewWriter(in), bufio.NewReaderSize(out, 64<<10)
	return b, nil
}

// close stops git; it may be mid-answer, so it is killed, not asked.
func (b *batch) close() {
	if b == nil {
		return
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// ask sends id and reads the answer's header: type and size.
func (b *batch) ask(id string) (typ string, size int64, err error) {
	if strings.ContainsAny(id, " \n") {
		return "", 0, fmt.Errorf("bad object id %q", id)
	}
	b.in.WriteString(id)
	b.in.WriteByte('\n')
	if err := b.in.Flush(); err != nil {
		return "", 0, err
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		return "", 0, err
	}
	f := strings.Fields(line)
	switch {
	case len(f) == 2 && f[1] == "missing":
		return "", 0, fmt.Errorf("object %s: %w", id, gitrepo.ErrMissingObject)
	case len(f) != 3:
		return "", 0, fmt.Errorf("git cat-file answered %q for %s", strings.TrimSpace(line), id)
	}
	size, err = strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("git cat-file answered %q for %s", strings.TrimSpace(line), id)
	}
	return f[1], size, nil
}

// stop ends a batch that can no longer be trusted and says why, with what
// git printed (read only once git has exited).
func (b *batch) stop(err error) error {
	b.close()
	if msg := strings.TrimSpace(b.stderr.String()); msg != "" {
		return fmt.Errorf("git cat-file failed: %s: %w", msg, err)
	}
	return fmt.Errorf("git cat-file failed: %w", err)
}

// errBroken marks a batch process whose output can no longer be trusted to
// be in step with its input.
var errBroken = errors.New("git cat-file out of step")

// Blob reads blob id; a blob larger than max (0: no limit) is not kept
// (nil content, tooLarge true).
func (r *Repo) Blob(id string, max int64) (content []byte, tooLarge bool, err error) {
	if r.blobs == nil {
		if r.blobs, err = r.startBatch("--batch"); err != nil {
			return nil, false, err
		}
	}
	b := r.blobs
	typ, size, err := b.ask(id)
	if errors.Is(err, gitrepo.ErrMissingObject) {
		return nil, false, err
	}
	if err != nil {
		r.blobs = nil
		return nil, false, b.stop(err)
	}
	// The content and its newline follow whatever the type; read them to
	// stay in step.
	var buf []byte
	keep := typ == "blob" && (max <= 0 || size <= max)
	if keep {
		buf = make([]byte, size+1)
		_, err = io.ReadFull(b.out, buf)
	} else {
		_, err = io.CopyN(io.Discard, b.out, size+1)
	}
	if err != nil || keep && buf[size] != '\n' {
		r.blobs = nil
		return nil, false, b.stop(cmp.Or(err, errBroken))
	}
	switch {
	case typ != "blob":
		return nil, false, fmt.Errorf("object %s is a %s, not a blob", id, typ)
	case !keep:
		return nil, true, nil
	}
	return buf[:size], false, nil
}

// Size is the size of blob id, read without its content.
func (r *Repo) Size(id string) (int64, error) {
	var err error
	if r.sizes == nil {
		if r.sizes, err = r.startBatch("--batch-check"); err != nil {
			return 0, err
		}
	}
	b := r.sizes
	typ, size, err := b.ask(id)
	if errors.Is(err, gitrepo.ErrMissingObject) {
		return 0, err
	}
	if err != nil {
		r.sizes = nil
		return 0, b.stop(err)
	}
	if typ != "blob" {
		return 0, fmt.Errorf("object %s is a %s, not a blob", id, typ)
	}
	return size, nil
}
