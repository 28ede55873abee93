// Package config reads .tokenguard.toml, the one configuration file of the
// toolkit, found at the root of the repository (or the current directory).
// Each binary owns one table; unknown keys are errors so typos do not silently
// disable a policy.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/tokenguard/tokenguard/internal/config/tokenagecfg"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// FileName is the configuration file looked for at the repository root.
const FileName = tokenagecfg.FileName

// File is the whole configuration file.
type File struct {
	Tokencheck Tokencheck `toml:"tokencheck"`
	Scan       Scan       `toml:"scan"`
	Tokenage   Tokenage   `toml:"tokenage"`
	Pushguard  Pushguard  `toml:"pushguard"`
}

// Tokencheck is the [tokencheck] table.
type Tokencheck struct {
	// Require lists the credentials a job needs, e.g. ["hf:write", "modal"].
	Require []string `toml:"require"`
}

// Error is a configuration file that cannot be used; its message names the
// file and what is wrong.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Find returns the path of the configuration file that applies to dir: the
// one in dir or its nearest ancestor, stopping at the repository root (the
// first directory holding .git). It returns "" when there is none.
func Find(dir string) string { return tokenagecfg.Find(dir) }

// Load reads the configuration that applies to dir. A missing file is not an
// error: it gives the zero File and an empty path.
func Load(dir string) (File, string, error) {
	path := Find(dir)
	if path == "" {
		return File{}, "", nil
	}
	f, err := Read(path)
	return f, path, err
}

// Read parses one configuration file.
func Read(path string) (File, error) {
	var f File
	// Not toml.DecodeFile: a named pipe or /dev/zero in the file's place
	// would block or grow without end.
	data, _, err := smallfile.Read(path, smallfile.CredentialLimit)
	var se *smallfile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, &Error{path, errors.New("file does not exist")}
	case errors.As(err, &se):
		return f, &Error{path, errors.New(se.Why)}
	case err != nil:
		return f, &Error{path, err}
	}
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return f, &Error{path, err}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return f, &Error{path, fmt.Errorf("unknown key %s", strings.Join(keys, ", "))}
	}
	return f, nil
}
