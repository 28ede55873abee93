// Package modalapi is a minimal client of Modal's control-plane gRPC API:
// just enough to tell whether a token ID and secret are accepted, and what
// they belong to. Its few messages are encoded by hand with protowire, and
// its two unary calls are made over net/http's HTTP/2 with the gRPC framing
// written out here: grpc-go's package initialisation alone cost every
// secretscan run (a commit hook) 2 ms and its binary 6 MB. The tests hold
// this client to grpc-go's own server.
package modalapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultServerURL is Modal's control plane, used when MODAL_SERVER_URL is unset.
const DefaultServerURL = "https://api.modal.com"

// Full gRPC method names of the calls Check makes.
const (
	MethodTokenInfoGet = "/modal.client.ModalClient/TokenInfoGet"
	MethodClientHello  = "/modal.client.ModalClient/ClientHello"
)

// Metadata keys Modal reads the credentials and client identity from.
const (
	MetadataTokenID       = "x-modal-token-id"
	MetadataTokenSecret   = "x-modal-token-secret"
	MetadataClientType    = "x-modal-client-type"
	MetadataClientVersion = "x-modal-client-version"
)

const (
	// clientType is CLIENT_TYPE_CLIENT in Modal's ClientType enum, what the
	// official Python client sends.
	clientType = "1"
	// clientVersion is the x-modal-client-version sent. The server judges
	// clients by this version and may refuse ones it considers too old, so
	// we send a released Modal client version rather than tokenguard's own.
	clientVersion = "1.0.0"
)

// ErrUnauthenticated means Modal rejected the token ID and secret (gRPC
// UNAUTHENTICATED or PERMISSION_DENIED).
var ErrUnauthenticated = errors.New("modal rejected the credentials")

// Check validates tokenID and tokenSecret against the Modal server at
// serverURL (the caller reads MODAL_SERVER_URL; "" means DefaultServerURL).
// An https URL is reached over TLS with the system roots, an http URL over
// plaintext HTTP/2; a host without a port gets 443 or 80.
//
// Check calls TokenInfoGet. A server too old to know it answers
// UNIMPLEMENTED; Check then falls back to ClientHello, which only says that
// the credentials are accepted, and returns fallback=true with an empty
// TokenInfo.
//
// Rejected credentials give an error matching ErrUnauthenticated. Other
// gRPC errors are a *StatusError (see Transient). If ctx ends first, the
// error matches ctx.Err(). No error carries tokenSecret.
func Check(ctx context.Context, serverURL, tokenID, tokenSecret string) (info TokenInfo, fallback bool, err error) {
	return check(ctx, serverURL, tokenID, tokenSecret, nil)
}

// check is Check with the TLS configuration tc (nil: the system's roots).
func check(ctx context.Context, serverURL, tokenID, tokenSecret string, tc *tls.Config) (info TokenInfo, fallback bool, err error) {
	base, tlsOn, err := endpoint(serverURL)
	if err != nil {
		return TokenInfo{}, false, err
	}
	// One connection per check: checks are rare, and nothing lingers after.
	hc := newClient(tlsOn, tc)
	defer hc.CloseIdleConnections()
	md := http.Header{}
	md.Set(MetadataTokenID, tokenID)
	md.Set(MetadataTokenSecret, tokenSecret)
	md.Set(MetadataClientType, clientType)
	md.Set(MetadataClientVersion, clientVersion)

	resp, err := invoke(ctx, hc, base+MethodTokenInfoGet, md)
	if CodeOf(err) == Unimplemented {
		if _, err := invoke(ctx, hc, base+MethodClientHello, md); err != nil {
			return TokenInfo{}, false, callError(ctx, "ClientHello", err, tokenSecret)
		}
		return TokenInfo{}, true, nil
	}
	if err != nil {
		return TokenInfo{}, false, callError(ctx, "TokenInfoGet", err, tokenSecret)
	}
	info, err = UnmarshalTokenInfo(resp)
	if err != nil {
		return TokenInfo{}, false, err
	}
	return info, false, nil
}

// Code is a gRPC status code.
type Code uint32

// The gRPC status codes Check and Transient tell apart.
const (
	OK                Code = 0
	Unknown           Code = 2
	InvalidArgument   Code = 3
	DeadlineExceeded  Code = 4
	PermissionDenied  Code = 7
	ResourceExhausted Code = 8
	Unimplemented     Code = 12
	Internal          Code = 13
	Unavailable       Code = 14
	Unauthenticated   Code = 16
)

// StatusError is a call that ended with a gRPC status other than OK, or
// could not be made (Unavailable).
type StatusError struct {
	Code    Code
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("rpc error: code = %s desc = %s", e.Code, e.Message)
}

func (c Code) String() string {
	switch c {
	case OK:
		return "OK"
	case InvalidArgument:
		return "InvalidArgument"
	case DeadlineExceeded:
		return "DeadlineExceeded"
	case PermissionDenied:
		return "PermissionDenied"
	case ResourceExhausted:
		return "ResourceExhausted"
	case Unimplemented:
		return "Unimplemented"
	case Internal:
		return "Internal"
	case Unavailable:
		return "Unavailable"
	case Unauthenticated:
		return "Unauthenticated"
	case Unknown:
		return "Unknown"
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// CodeOf returns the status code of err: OK for nil, Unknown for an error
// that carries none.
func CodeOf(err error) Code {
	if err == nil {
		return OK
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return Unknown
}

// Transient reports whether err is worth retrying: the server was
// unavailable, out of time or rate limited (gRPC UNAVAILABLE,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED). It is false when the caller's own
// context ended, since waiting longer cannot help.
func Transient(err error) bool {
	switch CodeOf(err) {
	case Unavailable, DeadlineExceeded, ResourceExhausted:
		return true
	}
	return false
}

// callError wraps the error of a failed call, keeping its gRPC status but
// scrubbing the secret from the message: a proxy or server may echo request
// metadata back.
func callError(ctx context.Context, method string, err error, secret string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("failed to call %s: %w", method, ctxErr)
	}
	// The deadline is sent to the server, whose DEADLINE_EXCEEDED can
	// arrive a moment before our own timer marks ctx as done.
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return fmt.Errorf("failed to call %s: %w", method, context.DeadlineExceeded)
	}
	clean := &StatusError{Code: CodeOf(err), Message: err.Error()}
	var se *StatusError
	if errors.As(err, &se) {
		clean.Message = se.Message
	}
	if secret != "" {
		clean.Message = strings.ReplaceAll(clean.Message, secret, "[REDACTED]")
	}
	switch clean.Code {
	case Unauthenticated, PermissionDenied:
		return fmt.Errorf("failed to call %s: %w: %w", method, ErrUnauthenticated, clean)
	}
	return fmt.Errorf("failed to call %s: %w", method, clean)
}

// endpoint turns a server URL into the base URL of the calls and whether
// they go over TLS.
func endpoint(serverURL string) (base string, tlsOn bool, err error) {
	if serverURL == "" {
		serverURL = DefaultServerURL
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", false, fmt.Errorf("invalid Modal server URL: %w", err)
	}
	port := u.Port()
	switch u.Scheme {
	case "https":
		tlsOn = true
		if port == "" {
			port = "443"
		}
	case "http":
		if port == "" {
			port = "80"
		}
	default:
		return "", false, fmt.Errorf("invalid Modal server URL %q: scheme must be https or http", u.Redacted())
	}
	if u.Hostname() == "" {
		return "", false, fmt.Errorf("invalid Modal server URL %q: no host", u.Redacted())
	}
	return u.Scheme + "://" + net.JoinHostPort(u.Hostname(), port), tlsOn, nil
}

// newClient speaks HTTP/2 only, as gRPC needs: negotiated by ALPN over TLS
// (tc nil means the system's roots), prior knowledge in plaintext.
func newClient(tlsOn bool, tc *tls.Config) *http.Client {
	p := new(http.Protocols)
	t := &http.Transport{Protocols: p}
	if tlsOn {
		p.SetHTTP2(true)
		t.Proxy = http.ProxyFromEnvironment
		t.TLSClientConfig = tc
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
	} else {
		p.SetUnencryptedHTTP2(true)
	}
	return &http.Client{Transport: t}
}

// maxResponse bounds a response message, as grpc-go's default does.
const maxResponse = 4 << 20

// invoke makes one unary call with an empty request message and returns
// the response message. The framing is gRPC over HTTP/2's: each message is
// a compression flag, a 4-byte big-endian length and the bytes; the status
// comes in the trailers, or in the headers of a response without a body.
func invoke(ctx context.Context, hc *http.Client, target string, md http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(make([]byte, 5)))
	if err != nil {
		return nil, err
	}
	req.Header = md.Clone()
	req.Header.Set("Content-Type", "application/grpc") // what grpc-go and Python grpcio send
	req.Header.Set("Te", "trailers")
	req.Header.Set("User-Agent", "tokenguard")
	if d, ok := ctx.Deadline(); ok {
		// Rounded up, so that the server's deadline is never before ours.
		ms := max((time.Until(d)+time.Millisecond-1)/time.Millisecond, 1)
		if ms < 1e8 { // the header allows 8 digits
			req.Header.Set("Grpc-Timeout", strconv.FormatInt(int64(ms), 10)+"m")
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &StatusError{Code: Unavailable, Message: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+6))
	if err != nil {
		return nil, &StatusError{Code: Unavailable, Message: "reading the response: " + err.Error()}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Code: httpCode(resp.StatusCode), Message: "HTTP status " + resp.Status}
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/grpc") {
		return nil, &StatusError{Code: Unknown, Message: fmt.Sprintf("response content type %q is not gRPC", ct)}
	}
	st := resp.Trailer.Get("Grpc-Status")
	msg := resp.Trailer.Get("Grpc-Message")
	if st == "" { // a response without a body has its status in the headers
		st, msg = resp.Header.Get("Grpc-Status"), resp.Header.Get("Grpc-Message")
	}
	if st == "" {
		return nil, &StatusError{Code: Internal, Message: "the server sent no grpc-status"}
	}
	code, err := strconv.ParseUint(st, 10, 32)
	if err != nil {
		return nil, &StatusError{Code: Unknown, Message: fmt.Sprintf("grpc-status %q is not a number", st)}
	}
	if code != uint64(OK) {
		if m, err := url.PathUnescape(msg); err == nil {
			msg = m
		}
		return nil, &StatusError{Code: Code(code), Message: msg}
	}
	return unframe(body)
}

// unframe returns the one message of a unary response.
func unframe(body []byte) ([]byte, error) {
	if len(body) < 5 {
		return nil, &StatusError{Code: Internal, Message: "the response holds no message"}
	}
	if body[0] != 0 {
		return nil, &StatusError{Code: Internal, Message: "the response message is compressed, which was not asked for"}
	}
	n := binary.BigEndian.Uint32(body[1:5])
	if n > maxResponse {
		return nil, &StatusError{Code: ResourceExhausted, Message: fmt.Sprintf("the response message is %d bytes, over %d", n, maxResponse)}
	}
	if uint64(len(body)-5) != uint64(n) {
		return nil, &StatusError{Code: Internal, Message: "the response is not exactly one message"}
	}
	return body[5:], nil
}

// httpCode maps the HTTP status of a response that is not gRPC's 200 to a
// gRPC code, as gRPC's spec says (a proxy in the way, a wrong URL).
func httpCode(status int) Code {
	switch status {
	case http.StatusBadRequest:
		return Internal
	case http.StatusUnauthorized:
		return Unauthenticated
	case http.StatusForbidden:
		return PermissionDenied
	case http.StatusNotFound:
		return Unimplemented
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return Unavailable
	}
	return Unknown
}
