package scan

import (
	"bytes"
	"path"
)

// A bare api_key means W&B under a wandb: block and OpenAI under [openai]:
// some keys take their meaning from where they are. section names what
// encloses one offset of a view, without parsing the file: it is asked only
// for the matches of rules with section_keywords, so it can afford to look
// back a few kilobytes.

const (
	sectionLookBack = 16 << 10 // bytes searched back for braces and parent lines
	sectionLines    = 400      // lines searched back for a parent or a header
)

// section returns, lower-cased and separated by blanks, the names that
// enclose offset off of text:
//   - the hosts of URLs on the same line (curl -u user:key https://host/…);
//   - the netrc machine of the entry;
//   - the keys of the objects and arrays that enclose it (JSON, Python
//     dicts, JavaScript objects, HCL blocks), and the call that opens one
//     (initializeApp({…}));
//   - the parent keys of an indented block (YAML, and the JSON strings of a
//     notebook's cells: jsonView says to look through their quotes);
//   - the nearest [table] or [section] header (TOML, INI);
//   - the file's base name, which encloses everything in it.
func section(text []byte, off int, name string, jsonView bool) []byte {
	var out []byte
	add := func(s []byte) {
		if len(s) == 0 {
			return
		}
		out = append(out, ' ')
		for _, c := range s {
			out = append(out, lower[c])
		}
	}
	add([]byte(path.Base(name)))
	ls, _ := lineStart(text, off)
	le := off + bytes.IndexByte(text[off:min(len(text), off+4096)], '\n')
	if le < off {
		le = min(len(text), off+4096)
	}
	line := text[ls:le]
	for rest := line; ; {
		i := bytes.Index(rest, []byte("://"))
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		j := 0
		for j < len(rest) && isHostByte(rest[j]) {
			j++
		}
		add(rest[:j])
	}
	if m := machineOf(text[ls:off]); m != nil {
		add(m)
		return out
	}
	enclosingKeys(text, off, add)
	parentLines(text, ls, jsonView, add)
	return out
}

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
}

// machineOf returns the host after the last "machine" word of a netrc line.
func machineOf(line []byte) []byte {
	i := bytes.LastIndex(line, []byte("machine "))
	if i < 0 || i > 0 && line[i-1] != ' ' && line[i-1] != '\t' {
		return nil
	}
	rest := bytes.TrimLeft(line[i+len("machine "):], " \t")
	j := 0
	for j < len(rest) && isHostByte(rest[j]) {
		j++
	}
	return rest[:j]
}

// enclosingKeys walks back from off over balanced brackets and reports,
// innermost first, the key or call that opens each unclosed { or [.
// Brackets inside strings can mislead it; it only ever adds names.
func enclosingKeys(text []byte, off int, add func([]byte)) {
	lo := max(off-sectionLookBack, 0)
	depth := 0
	for i := off - 1; i >= lo; i-- {
		switch text[i] {
		case '}', ']', ')':
			depth++
		case '(':
			if depth > 0 {
				depth--
			}
		case '{', '[':
			if depth > 0 {
				depth--
				continue
			}
			add(keyBefore(text[lo:i]))
		}
	}
}

// keyBefore returns the name that b ends with, through the blanks and the
// operator (:, =, ( or =>) and quotes between a key and its value:
// `"wandb": `, `firebaseConfig = `, `initializeApp(`.
func keyBefore(b []byte) []byte {
	i := len(b)
	skip := func(set string) {
		for i > 0 && bytes.IndexByte([]byte(set), b[i-1]) >= 0 {
			i--
		}
	}
	skip(" \t\r\n")
	skip(":=>(")
	skip(" \t\r\n")
	skip(`"'`)
	end := i
	for i > 0 && isNameByte(b[i-1]) {
		i--
	}
	return b[i:end]
}

// parentLines walks back from the line starting at ls and reports the key
// of each line indented less than the one below it, up to a line at the
// left margin; it stops at a [header] line or a netrc machine line.
func parentLines(text []byte, ls int, jsonView bool, add func([]byte)) {
	indent, _ := lineIndent(text[ls:], jsonView)
	lo := max(ls-sectionLookBack, 0)
	end := ls
	for n := 0; n < sectionLines && end > lo; n++ {
		s, _ := lineStart(text, end-1)
		s = max(s, lo)
		line := text[s : end-1]
		end = s
		ind, body := lineIndent(line, jsonView)
		if len(body) == 0 || body[0] == '#' || !hasAlnum(body) {
			continue
		}
		if ind == 0 && body[0] == '[' {
			if j := bytes.IndexByte(body, ']'); j > 0 {
				add(bytes.Trim(body[:j], "[] \t\"'"))
			}
			return
		}
		if m := machineOf(line); m != nil {
			add(m)
			return
		}
		if ind < indent {
			add(lineKey(body))
			if indent = ind; indent == 0 {
				return
			}
		}
	}
}

// lineIndent returns the indentation of a line and the rest of it. In a
// JSON view the quote that opens a notebook's source line is looked
// through, so the YAML inside a cell keeps its indentation.
func lineIndent(line []byte, jsonView bool) (int, []byte) {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if jsonView && i < len(line) && line[i] == '"' {
		i++
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
	}
	return i, bytes.TrimRight(line[i:], " \t\r")
}

// lineKey is the key a line opens: what comes before its first : or =,
// without list dashes and quotes.
func lineKey(body []byte) []byte {
	body = bytes.TrimLeft(body, "- \t")
	if i := bytes.IndexAny(body, ":="); i >= 0 {
		body = body[:i]
	}
	return bytes.Trim(body, " \t\"'")
}

func hasAlnum(b []byte) bool {
	for _, c := range b {
		if wordBytes[c] && c != '_' {
			return true
		}
	}
	return false
}

// inSection reports whether one of the rule's section keywords names what
// encloses offset off.
func (r *Rule) inSection(v *view, off int, name string) bool {
	s := section(v.text, off, name, v.pieces != nil)
	for _, k := range r.sectionKeywords {
		if bytes.Contains(s, k) {
			return true
		}
	}
	return false
}
