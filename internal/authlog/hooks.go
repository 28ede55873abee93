package authlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/redact"
)

// redactHook masks credentials in the message and in every field. It runs
// first, for every level, so no later hook can see a raw value.
type redactHook struct{}

func (redactHook) Levels() []logrus.Level { return logrus.AllLevels }

func (redactHook) Fire(e *logrus.Entry) error {
	e.Message = redact.String(e.Message)
	if len(e.Data) == 0 {
		return nil
	}
	// A fresh map: never write to one that a caller's WithFields may share.
	clean := make(logrus.Fields, len(e.Data))
	for k, v := range e.Data {
		clean[redact.String(k)] = redactValue(v)
	}
	e.Data = clean
	return nil
}

// redactValue returns v as it may be shown. Only text can be scrubbed, so
// anything that is not a plain number, bool or time becomes its redacted
// fmt.Sprint form: left alone, an error's message, a struct's fields or a
// custom MarshalJSON could carry a token past us. Byte slices (a request
// body, json.RawMessage) are read as text: fmt.Sprint would print their bytes
// as decimal numbers and JSON as base64, both a token in disguise.
func redactValue(v any) any {
	switch v := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Time:
		return v
	case string:
		return redact.String(v)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
		return redact.String(string(rv.Bytes()))
	}
	return redact.String(fmt.Sprint(v))
}

// consoleHook writes one human line per entry, age style:
//
//	tokencheck: error: token file is empty
//	tokencheck: hint: run `hf auth login` or set HF_TOKEN
//
// Fields other than the hint are for the audit file, not for people.
type consoleHook struct {
	tool   string
	levels []logrus.Level

	mu sync.Mutex // keeps an entry's lines together when goroutines log at once
	w  io.Writer
}

func (h *consoleHook) Levels() []logrus.Level { return h.levels }

func (h *consoleHook) Fire(e *logrus.Entry) error {
	var b strings.Builder
	b.WriteString(h.tool + ": ")
	switch e.Level {
	case logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel:
		b.WriteString("error: ")
	case logrus.WarnLevel:
		b.WriteString("warning: ")
	case logrus.InfoLevel:
	default:
		b.WriteString(e.Level.String() + ": ") // debug, trace
	}
	b.WriteString(strings.TrimRight(e.Message, "\n"))
	b.WriteByte('\n')
	if hint, ok := e.Data[FieldHint]; ok {
		if s := fmt.Sprint(hint); s != "" {
			b.WriteString(h.tool + ": hint: " + s + "\n")
		}
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	// A console that cannot be written to (closed stderr) must not stop the
	// audit hook after us, which an error returned here would do.
	_, _ = io.WriteString(h.w, b.String())
	return nil
}

// auditTimeFormat is RFC 3339 with milliseconds, so entries of one run sort.
const auditTimeFormat = "2006-01-02T15:04:05.000Z07:00"

// fileHook appends each entry as one JSON line to the audit file. Each line
// is a single write(2) on an O_APPEND file, so lines stay whole even when
// several tokenguard processes (say, two git hooks) share the file, and
// nothing waits in a buffer in this process.
type fileHook struct {
	format logrus.JSONFormatter

	mu   sync.Mutex
	f    *os.File // nil once closed
	path string
	err  error // the first failed write, reported by close
}

func (h *fileHook) Levels() []logrus.Level { return upTo(logrus.InfoLevel) }

func (h *fileHook) Fire(entry *logrus.Entry) error {
	// A copy, so that the UTC time does not reach the hooks after us.
	e := *entry
	e.Time = e.Time.UTC()
	e.Buffer = nil
	line, err := h.format.Format(&e)

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.f == nil {
		return nil // closed: the run is over
	}
	if err == nil {
		_, err = h.f.Write(line)
	}
	// Keep logging to the console; Main learns about the failure from close.
	if err != nil && h.err == nil {
		h.err = fmt.Errorf("failed to write audit log %s: %w", h.path, err)
	}
	return nil
}

// close closes the file and returns the first write error, if any. Later
// entries are dropped, and later calls return nil.
func (h *fileHook) close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.f == nil {
		return nil
	}
	err := h.err
	if cerr := h.f.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("failed to close audit log %s: %w", h.path, cerr))
	}
	h.f = nil
	return err
}
