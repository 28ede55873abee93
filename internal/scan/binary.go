package scan

import "bytes"

// sniffLen is how much of a file is looked at to tell binary from text, as
// git does.
const sniffLen = 8000

// IsBinary reports whether content looks binary: a NUL byte in its first
// 8000 bytes.
func IsBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), sniffLen)], 0) >= 0
}
