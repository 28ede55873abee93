// Package modalapi is a minimal client of Modal's control-plane gRPC API:
// just enough to tell whether a token ID and secret are accepted, and what
// they belong to. Its few messages are encoded by hand with protowire, so
// there is no protoc step.
package modalapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
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
// Rejected credentials give an error matching ErrUnauthenticated. Other gRPC
// errors keep their status (see Transient). If ctx ends first, the error
// matches ctx.Err(). No error carries tokenSecret.
func Check(ctx context.Context, serverURL, tokenID, tokenSecret string) (info TokenInfo, fallback bool, err error) {
	target, creds, err := dialTarget(serverURL)
	if err != nil {
		return TokenInfo{}, false, err
	}
	conn, err := grpc.NewClient(target,
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(Codec{})),
	)
	if err != nil {
		return TokenInfo{}, false, fmt.Errorf("failed to set up a connection to %s: %w", target, err)
	}
	// One connection per check: checks are rare, and nothing lingers after.
	defer conn.Close()

	ctx = metadata.AppendToOutgoingContext(ctx,
		MetadataTokenID, tokenID,
		MetadataTokenSecret, tokenSecret,
		MetadataClientType, clientType,
		MetadataClientVersion, clientVersion,
	)

	var resp []byte
	err = conn.Invoke(ctx, MethodTokenInfoGet, []byte(nil), &resp)
	if status.Code(err) == codes.Unimplemented {
		if err := conn.Invoke(ctx, MethodClientHello, []byte(nil), &resp); err != nil {
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

// Transient reports whether err is worth retrying: the server was
// unavailable, out of time or rate limited (gRPC UNAVAILABLE,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED). It is false when the caller's own
// context ended, since waiting longer cannot help.
func Transient(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted:
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
	// gRPC sends the deadline to the server, whose DEADLINE_EXCEEDED can
	// arrive a moment before our own timer marks ctx as done.
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return fmt.Errorf("failed to call %s: %w", method, context.DeadlineExceeded)
	}
	st := status.Convert(err)
	msg := st.Message()
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[REDACTED]")
	}
	clean := status.Error(st.Code(), msg)
	switch st.Code() {
	case codes.Unauthenticated, codes.PermissionDenied:
		return fmt.Errorf("failed to call %s: %w: %w", method, ErrUnauthenticated, clean)
	}
	return fmt.Errorf("failed to call %s: %w", method, clean)
}

// dialTarget turns a server URL into a gRPC target and the matching
// transport credentials.
func dialTarget(serverURL string) (string, credentials.TransportCredentials, error) {
	if serverURL == "" {
		serverURL = DefaultServerURL
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("invalid Modal server URL: %w", err)
	}
	var creds credentials.TransportCredentials
	port := u.Port()
	switch u.Scheme {
	case "https":
		// Nil RootCAs means the system roots.
		creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
		if port == "" {
			port = "443"
		}
	case "http":
		creds = insecure.NewCredentials()
		if port == "" {
			port = "80"
		}
	default:
		return "", nil, fmt.Errorf("invalid Modal server URL %q: scheme must be https or http", u.Redacted())
	}
	if u.Hostname() == "" {
		return "", nil, fmt.Errorf("invalid Modal server URL %q: no host", u.Redacted())
	}
	return "dns:///" + net.JoinHostPort(u.Hostname(), port), creds, nil
}
