package hub

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultEndpoint is the Hub the official clients talk to when HF_ENDPOINT
// is not set.
const DefaultEndpoint = "https://huggingface.co"

// Endpoint is the Hub to talk to given the value of HF_ENDPOINT: the
// default when empty, with the trailing slash stripped as the official
// clients do.
func Endpoint(hfEndpoint string) string {
	if v := strings.TrimRight(strings.TrimSpace(hfEndpoint), "/"); v != "" {
		return v
	}
	return DefaultEndpoint
}

// NewHTTP is the one HTTP setup of every Hub call: the proxy from the
// environment, bounded waits for a connection and for an answer's headers,
// and idle connections kept for conns requests at once. Whole-request
// deadlines come from the caller's context and, for storage uploads, from
// Client.StallTimeout.
func NewHTTP(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = http.ProxyFromEnvironment
	t.MaxIdleConnsPerHost = conns + 2
	t.ResponseHeaderTimeout = 5 * time.Minute
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.WriteBufferSize = 256 << 10
	return &http.Client{Transport: t}
}

// sharedHTTP serves the clients built without their own http.Client (the
// token checks), so their connections are reused across checks.
var sharedHTTP = sync.OnceValue(func() *http.Client { return NewHTTP(defaultParallel) })

func (c *Client) httpClient() *http.Client {
	if c.HTTP == nil {
		return sharedHTTP()
	}
	return c.HTTP
}
