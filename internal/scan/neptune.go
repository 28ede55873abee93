package scan

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// neptuneAnonymousKey is the api_key of neptune.ANONYMOUS_API_TOKEN, the
// public token of Neptune's read-only example projects.
const neptuneAnonymousKey = "b706bc8f-76f9-4c2e-939d-4ba036f932e4"

// inspectNeptune decodes a Neptune API token: base64 of a JSON object with
// api_address (or api_url) and api_key. Anything else that happens to start
// like one is dismissed, and so is the public anonymous token. The finding
// names the Neptune server the token is for.
func inspectNeptune(text []byte, start, end int) (verdict, detail) {
	s := strings.TrimRight(string(text[start:end]), "=")
	raw, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return dismiss, detail{}
	}
	var tok struct {
		Address string `json:"api_address"`
		URL     string `json:"api_url"`
		Key     string `json:"api_key"`
	}
	if json.Unmarshal(raw, &tok) != nil || tok.Key == "" || tok.Address == "" && tok.URL == "" {
		return dismiss, detail{}
	}
	if tok.Key == neptuneAnonymousKey {
		return dismiss, detail{}
	}
	addr := tok.Address
	if addr == "" {
		addr = tok.URL
	}
	if u, err := url.Parse(addr); err == nil && u.Host != "" {
		addr = u.Host
	}
	return keepIt, detail{note: "server " + clip(addr, 80)}
}
