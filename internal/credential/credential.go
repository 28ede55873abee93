// Package credential finds the credentials an ML job uses, where each
// ecosystem's own client looks (environment variables and the clients'
// files), without any network: internal/token builds the format and live
// checks on top of it. Discovery itself lives in package lite, which the
// shell fast path (tokenage) links; this package gives it the full TOML and
// URL readers, so that nothing here ever declines a file.
package credential

import (
	"bytes"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/tokenguard/tokenguard/internal/credential/lite"
)

// The types of package lite, under the names the other tools use.
type (
	Credential   = lite.Credential
	FileError    = lite.FileError
	Env          = lite.Env
	Finder       = lite.Finder
	ModalProfile = lite.ModalProfile
)

// Full are the readers behind this package's finders.
var Full = lite.Readers{ModalTOML: modalTOML, URLHost: urlHost}

// OSEnv is the process environment.
func OSEnv() Env { return lite.OSEnv() }

// Finders lists every provider, in the order reports show them.
func Finders() []Finder { return Full.Finders() }

// FindAll returns the credentials of every provider, in report order.
func FindAll(env Env) []Credential { return Full.FindAll(env) }

// HF finds Hugging Face tokens in huggingface_hub's order: HF_TOKEN,
// HUGGING_FACE_HUB_TOKEN, then the token file.
func HF(env Env) []Credential { return lite.HF(env) }

// HFTokenFile is where huggingface_hub keeps the login token.
func HFTokenFile(env Env) string { return lite.HFTokenFile(env) }

// GitHub finds GitHub tokens in the order of the gh CLI.
func GitHub(env Env) []Credential { return lite.GitHub(env) }

// GHConfigDir is where the gh CLI keeps hosts.yml.
func GHConfigDir(env Env) string { return lite.GHConfigDir(env) }

// OpenAI finds OPENAI_API_KEY.
func OpenAI(env Env) []Credential { return lite.OpenAI(env) }

// Anthropic finds ANTHROPIC_API_KEY.
func Anthropic(env Env) []Credential { return lite.Anthropic(env) }

// WandB finds WANDB_API_KEY, then the netrc entry for the API host.
func WandB(env Env) []Credential { return Full.WandB(env) }

// WandBHost is the API host whose netrc entry holds the W&B key: the host
// of WANDB_BASE_URL, else api.wandb.ai.
func WandBHost(env Env) string {
	h, _ := Full.WandBHost(env)
	return h
}

// NetrcPassword returns the password of the first machine host entry in a netrc file.
func NetrcPassword(data []byte, host string) (string, *FileError) {
	return lite.NetrcPassword(data, host)
}

// Modal finds Modal token pairs (see lite.Readers.Modal).
func Modal(env Env) []Credential { return Full.Modal(env) }

// ModalConfigFile is MODAL_CONFIG_PATH, else ~/.modal.toml.
func ModalConfigFile(env Env) string { return lite.ModalConfigFile(env) }

// ModalActiveProfile picks the profile the Modal client would use (see
// lite.Readers.ModalActiveProfile).
func ModalActiveProfile(env Env) (string, ModalProfile, bool, *FileError) {
	return Full.ModalActiveProfile(env)
}

func urlHost(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", true
	}
	return u.Hostname(), true
}

func modalTOML(file string, data []byte) (map[string]ModalProfile, *FileError) {
	var profiles map[string]ModalProfile
	if _, err := toml.Decode(string(data), &profiles); err != nil {
		return nil, tomlError(file, data, err)
	}
	return profiles, nil
}

// tomlLine splits BurntSushi/toml's "toml: line 3 (last key …): what"
// messages. Compiled on first use: start-up is every tool's cost.
var tomlLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^toml: line (\d+)(?: \([^)]*\))?: (.*)$`)
})

// tomlError describes a TOML file that does not parse, or does not have the
// shape of a Modal config (tables of strings and booleans).
func tomlError(file string, data []byte, err error) *FileError {
	e := &FileError{File: file, Malformed: true, Why: strings.TrimPrefix(err.Error(), "toml: ")}
	if m := tomlLine().FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Why = m[2]
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		// The parser counts a newline it stops at as the next line: the
		// byte offset says where the mistake is.
		e.Line = bytes.Count(data[:min(pe.Position.Start, len(data))], []byte("\n")) + 1
		e.Why = pe.Message
	}
	e.Why = strings.NewReplacer(`'\x00'`, "the end of the file", `'\n'`, "the end of the line").Replace(e.Why)
	return e
}
