package scan

import (
	"bytes"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// A view is the text the rules see and, when it differs from the content,
// where its bytes came from: pieces of text, each either copied from the
// content or made by one escape sequence.
type view struct {
	text       []byte
	pieces     []piece // in text order; nil when text is the content
	regexBytes int     // bytes handed to regexes while scanning this view
}

// A piece starts at text offset at. A copy maps text offset at+k to content
// offset from+k; the bytes of an escape all map to from, where it starts.
type piece struct {
	at, from int
	escape   bool
}

// offset returns the content offset of text offset i.
func (v *view) offset(i int) int {
	if v.pieces == nil {
		return i
	}
	k := sort.Search(len(v.pieces), func(k int) bool { return v.pieces[k].at > i }) - 1
	if k < 0 {
		return 0
	}
	p := v.pieces[k]
	if p.escape {
		return p.from
	}
	return p.from + i - p.at
}

// jsonExts are the files whose strings are decoded before matching.
var jsonExts = map[string]bool{".ipynb": true, ".json": true, ".jsonl": true, ".ndjson": true}

// isJSON reports whether content is to be read as JSON: by its name, or, for
// nameless input (stdin), by its first non-blank byte.
func isJSON(name string, content []byte) bool {
	if name != "" && name != "-" {
		return jsonExts[strings.ToLower(path.Ext(name))]
	}
	t := bytes.TrimLeft(content[:min(len(content), 512)], " \t\r\n\ufeff")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// blobMin is the length from which a string made only of base64 characters
// is taken for an embedded binary (a notebook's image output) and skipped.
const blobMin = 1024

// decodeJSON returns a view of JSON text with the escapes inside its strings
// decoded (\" \n \t \\ \/ \uXXXX), so that a token inside a notebook cell
// ends where the token ends, not at a backslash. Everything outside strings
// is kept as is. Long base64 strings (images, pickles) are dropped. The
// lexer is tolerant: invalid JSON never fails, it is just less decoded.
func decodeJSON(b []byte) *view {
	if len(b) > 1<<31-1 {
		return &view{text: b}
	}
	v := &view{text: make([]byte, 0, len(b)), pieces: []piece{}}
	// emitRun copies b[from:to].
	emitRun := func(from, to int) {
		if from == to {
			return
		}
		if n := len(v.pieces); n == 0 || v.pieces[n-1].escape || v.pieces[n-1].from+len(v.text)-v.pieces[n-1].at != from {
			v.pieces = append(v.pieces, piece{at: len(v.text), from: from})
		}
		v.text = append(v.text, b[from:to]...)
	}
	// emit adds a byte of the escape sequence that starts at content offset at.
	emit := func(c byte, at int) {
		if n := len(v.pieces); n == 0 || !v.pieces[n-1].escape || v.pieces[n-1].from != at {
			v.pieces = append(v.pieces, piece{at: len(v.text), from: at, escape: true})
		}
		v.text = append(v.text, c)
	}
	i := 0
	for i < len(b) {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			q = len(b) - i
		}
		emitRun(i, i+q)
		i += q
		if i >= len(b) {
			break
		}
		// b[i] is an opening quote: find the closing one.
		start := i
		end := stringEnd(b, i+1)
		emitRun(start, start+1)
		if end-start-1 >= blobMin && isBase64Blob(b[start+1:end]) {
			// Keep the quotes so the JSON structure stays readable.
		} else {
			decodeString(b, start+1, end, emit, emitRun)
		}
		if end < len(b) {
			emitRun(end, end+1) // the closing quote, or the line break that ended it
		}
		i = end + 1
	}
	return v
}

// stringEnd returns the index of the quote closing the string whose body
// starts at i, or len(b) when it is not closed. A raw line break ends it too:
// JSON strings hold none. IndexByte (vectorised in the runtime) finds the
// next quote, a line break before it, and the backslashes on the way; no
// byte is searched twice, so a string full of escapes, or a file full of
// strings, stays linear.
func stringEnd(b []byte, i int) int {
	end := -1 // the next quote or line break at or after i
	for i < len(b) {
		if end < i {
			end = indexFrom(b, i, '"')
			if nl := bytes.IndexByte(b[i:end], '\n'); nl >= 0 {
				end = i + nl
			}
		}
		k := bytes.IndexByte(b[i:end], '\\')
		if k < 0 {
			return end
		}
		i += k + 2 // past the escape, which may be of that quote or line break
	}
	return len(b)
}

// indexFrom is the index of the first c in b at or after i, or len(b).
func indexFrom(b []byte, i int, c byte) int {
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return len(b)
}

// base64Bytes marks the bytes of base64 text as notebooks store it: the
// alphabet, padding, and the backslash and n of escaped line breaks.
var base64Bytes = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\\") {
		t[c] = true
	}
	return t
}()

func isBase64Blob(s []byte) bool {
	i := 0
	if haveAVX2 && len(s) >= 32 {
		i = spanBlocks(base64Class, &s[0], len(s)/32)
		if i < len(s)/32*32 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if !base64Bytes[s[i]] {
			return false
		}
	}
	return true
}

var base64Class = newClassTables(&base64Bytes)

// classTables let spanBlocks test 32 bytes at once for membership in a
// class of bytes: each high nibble that occurs in the class gets a bit (at
// most eight may), hi maps a high nibble to its bit, and lo maps a low
// nibble to the bits of the high nibbles it makes a member with. A byte is
// a member when lo[its low nibble] & hi[its high nibble] is not zero. Each
// 16-byte table is stored twice, once per half of the 256-bit register.
type classTables struct {
	lo, hi [32]byte
	low    [32]byte // 0x0f in every byte
}

func newClassTables(class *[256]bool) *classTables {
	t := &classTables{}
	bit := map[int]byte{}
	for c, in := range class {
		if !in {
			continue
		}
		h, l := c>>4, c&15
		if _, ok := bit[h]; !ok {
			if len(bit) == 8 {
				panic("a byte class with more than eight high nibbles")
			}
			bit[h] = 1 << len(bit)
		}
		for half := 0; half < 32; half += 16 {
			t.hi[half+h] = bit[h]
			t.lo[half+l] |= bit[h]
		}
	}
	for i := range t.low {
		t.low[i] = 0x0f
	}
	return t
}

func decodeString(b []byte, i, end int, emit func(byte, int), emitRun func(from, to int)) {
	for i < end {
		k := bytes.IndexByte(b[i:end], '\\')
		if k < 0 || i+k+1 >= end {
			emitRun(i, end) // no escape left (a lone backslash at the end stays)
			return
		}
		emitRun(i, i+k)
		i += k
		at := i
		switch b[i+1] {
		case 'n':
			emit('\n', at)
		case 't':
			emit('\t', at)
		case 'r':
			emit('\r', at)
		case 'b', 'f':
			emit(' ', at)
		case '"', '\\', '/':
			emit(b[i+1], at)
		case 'u':
			if i+6 <= end {
				if r, ok := hex4(b[i+2 : i+6]); ok {
					var buf [4]byte
					if r >= 0xD800 && r <= 0xDFFF {
						r = utf8.RuneError
					}
					n := utf8.EncodeRune(buf[:], r)
					for k := 0; k < n; k++ {
						emit(buf[k], at)
					}
					i += 6
					continue
				}
			}
			emitRun(at, at+2) // not an escape after all: kept as it is
		default:
			emitRun(at, at+2)
		}
		i += 2
	}
}

func hex4(h []byte) (rune, bool) {
	var r rune
	for _, c := range h {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
