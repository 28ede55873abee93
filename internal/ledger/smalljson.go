package ledger

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeSmall reads the ledger as Update writes it, without encoding/json,
// whose reflection costs every new shell about 20 page faults (issue 18). It
// reads objects, arrays of strings, strings without escapes and the version
// number, with each key at most once and only the keys of Ledger and Entry;
// anything else (escapes, null, unknown or repeated keys, other numbers)
// declines with ok false, and decode then uses encoding/json. What it
// accepts it decodes as encoding/json would (FuzzDecode).
func decodeSmall(data []byte) (version int, entries map[string]*Entry, ok bool) {
	if !utf8.Valid(data) {
		return 0, nil, false // encoding/json would replace invalid bytes
	}
	d := &smallDecoder{s: string(data)}
	seenVersion := false
	ok = d.object(func(key string) bool {
		switch {
		case key == "version" && !seenVersion:
			seenVersion = true
			version, ok = d.number()
			return ok
		case key == "credentials" && entries == nil:
			entries = map[string]*Entry{}
			return d.object(func(fp string) bool {
				if _, dup := entries[fp]; dup {
					return false
				}
				e := &Entry{}
				entries[fp] = e
				return d.entry(e)
			})
		}
		return false
	})
	d.space()
	if !ok || d.s != "" || !seenVersion || entries == nil {
		return 0, nil, false
	}
	return version, entries, true
}

type smallDecoder struct{ s string }

func (d *smallDecoder) space() { d.s = strings.TrimLeft(d.s, " \t\r\n") }

// take consumes c after white space.
func (d *smallDecoder) take(c byte) bool {
	d.space()
	if d.s == "" || d.s[0] != c {
		return false
	}
	d.s = d.s[1:]
	return true
}

// object reads {"key": value, …}, handing each key to member, which reads the value.
func (d *smallDecoder) object(member func(key string) bool) bool {
	if !d.take('{') {
		return false
	}
	if d.take('}') {
		return true
	}
	for {
		key, ok := d.str()
		if !ok || !d.take(':') || !member(key) {
			return false
		}
		if d.take('}') {
			return true
		}
		if !d.take(',') {
			return false
		}
	}
}

// str reads a string without escapes or control characters.
func (d *smallDecoder) str() (string, bool) {
	if !d.take('"') {
		return "", false
	}
	i := strings.IndexAny(d.s, "\"\\")
	if i < 0 || d.s[i] == '\\' || strings.ContainsFunc(d.s[:i], func(r rune) bool { return r < ' ' }) {
		return "", false
	}
	v := d.s[:i]
	d.s = d.s[i+1:]
	return v, true
}

// number reads a non-negative integer as JSON writes one (no leading zeros).
func (d *smallDecoder) number() (int, bool) {
	d.space()
	i := 0
	for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 || i > 1 && d.s[0] == '0' || i < len(d.s) && strings.ContainsRune(".eE-+", rune(d.s[i])) {
		return 0, false
	}
	n := 0
	for _, c := range d.s[:i] {
		n = n*10 + int(c-'0')
	}
	d.s = d.s[i:]
	return n, true
}

// entry reads the members of one Entry, each at most once.
func (d *smallDecoder) entry(e *Entry) bool {
	var seen []string
	return d.object(func(key string) bool {
		if slices.Contains(seen, key) {
			return false
		}
		seen = append(seen, key)
		if key == "sources" {
			return d.strings(&e.Sources)
		}
		if p := e.stringField(key); p != nil {
			v, ok := d.str()
			*p = v
			return ok
		}
		t := e.timeField(key)
		if t == nil {
			return false
		}
		v, ok := d.str()
		// time.Time's own parser, which encoding/json calls too.
		return ok && t.UnmarshalText([]byte(v)) == nil
	})
}

// stringField and timeField are the fields of an Entry by JSON key.
func (e *Entry) stringField(key string) *string {
	switch key {
	case "provider":
		return &e.Provider
	case "replaces":
		return &e.Replaces
	case "replaced_by":
		return &e.ReplacedBy
	}
	return nil
}

func (e *Entry) timeField(key string) *time.Time {
	switch key {
	case "first_seen":
		return &e.FirstSeen
	case "file_time":
		return &e.FileTime
	case "created_at":
		return &e.CreatedAt
	case "expires_at":
		return &e.ExpiresAt
	case "checked_at":
		return &e.CheckedAt
	case "rotated_at":
		return &e.RotatedAt
	case "retired_at":
		return &e.RetiredAt
	case "warned_at":
		return &e.WarnedAt
	}
	return nil
}

// strings reads an array of strings.
func (d *smallDecoder) strings(into *[]string) bool {
	if !d.take('[') {
		return false
	}
	out := []string{}
	if !d.take(']') {
		for {
			v, ok := d.str()
			if !ok {
				return false
			}
			out = append(out, v)
			if d.take(']') {
				break
			}
			if !d.take(',') {
				return false
			}
		}
	}
	*into = out
	return true
}
