package source

import (
	"context"
	"fmt"
	"io"

	"github.com/tokenguard/tokenguard/internal/scan"
)

// Stdin is text piped in. Name is the path reported in findings ("-" when
// empty); a name ending in .ipynb or .json makes the text read as JSON.
type Stdin struct {
	R    io.Reader
	Name string
	Options
}

// Fragments yields the whole input as one fragment. At most MaxSize+1
// bytes are read: input over the limit is reported to Options.Skipped.
func (s Stdin) Fragments(ctx context.Context, yield func(scan.Fragment) error) error {
	name := s.Name
	if name == "" {
		name = "-"
	}
	b, err := io.ReadAll(io.LimitReader(s.R, s.maxSize()+1))
	if err != nil {
		return fmt.Errorf("failed to read standard input: %w", err)
	}
	if int64(len(b)) > s.maxSize() {
		s.skip(name, TooLargeReason(s.maxSize()))
		return nil
	}
	if scan.IsBinary(b) {
		s.skip(name, ReasonBinary)
		return nil
	}
	return yield(scan.Fragment{Path: name, Content: b})
}
