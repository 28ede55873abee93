package tokentest

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tokenguard/tokenguard/internal/modalapi"
)

// Credentials the Modal fake accepts.
const (
	ModalTokenID     = "ak-tokenguardFakeId123456"
	ModalTokenSecret = "as-tokenguardFakeSecret42"
)

// modalBehaviours are the behaviours NewModal accepts.
var modalBehaviours = []string{"ok", "invalid", "expiring", "expired", "old-server", "unavailable", "flaky", "slow"}

// modalFake answers the calls of one fake Modal server.
type modalFake struct {
	server    *Server
	behaviour string
	accounts  []Account
	calls     atomic.Int64 // for "flaky"
}

// ModalCodec is a gRPC codec that carries protobuf messages already encoded
// by hand, unchanged. It is named "proto", as generated code's is. Messages
// are []byte on the way out and *[]byte on the way in. The fake server uses
// it, and tests that call the fake with grpc-go's own client.
type ModalCodec struct{}

// Name is the content subtype gRPC puts on the wire.
func (ModalCodec) Name() string { return "proto" }

// Marshal wraps the encoded message v ([]byte or *[]byte) without copying.
func (ModalCodec) Marshal(v any) (mem.BufferSlice, error) {
	switch m := v.(type) {
	case []byte:
		return mem.BufferSlice{mem.SliceBuffer(m)}, nil
	case *[]byte:
		return mem.BufferSlice{mem.SliceBuffer(*m)}, nil
	}
	return nil, fmt.Errorf("modal codec cannot marshal %T, want []byte", v)
}

// Unmarshal stores a copy of the encoded message in v, which must be a *[]byte.
func (ModalCodec) Unmarshal(data mem.BufferSlice, v any) error {
	p, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("modal codec cannot unmarshal into %T, want *[]byte", v)
	}
	// A copy, because gRPC frees data as soon as Unmarshal returns.
	*p = data.Materialize()
	return nil
}

// NewModal starts a fake Modal control plane accepting the pair
// ModalTokenID/ModalTokenSecret, user alice in workspace ml-team, token
// name ci. See NewModalWith.
func NewModal(behaviour string) (*Server, error) {
	return NewModalWith(behaviour, []Account{{Token: ModalTokenID, Secret: ModalTokenSecret, Identity: "alice@ml-team", Role: "ci"}})
}

// NewModalWith starts a fake Modal control plane: a real gRPC server on
// loopback, plaintext HTTP/2, speaking modal.client.ModalClient
// (TokenInfoGet and ClientHello). Its URL is what MODAL_SERVER_URL is set to.
// Every call must carry the id and secret of one of the accounts and the
// client metadata. An account's Identity is "user@workspace" and its Role
// the token name. The behaviour is one of:
//
//	ok           TokenInfoGet answers the account's workspace, user and token name,
//	             created 30 days ago, no expiry
//	invalid      every call is UNAUTHENTICATED
//	expiring     as ok, but the token expires in 2 hours
//	expired      as ok, but the token expired a day ago (the client decides what that means)
//	old-server   TokenInfoGet is UNIMPLEMENTED; ClientHello succeeds
//	unavailable  every call is UNAVAILABLE
//	flaky        the first 2 calls are UNAVAILABLE, then as ok
//	slow         waits SlowDelay (or until the call is cancelled), then as ok
func NewModalWith(behaviour string, accounts []Account) (*Server, error) {
	if !slices.Contains(modalBehaviours, behaviour) {
		return nil, fmt.Errorf("unknown modal behaviour %q: want one of %s", behaviour, strings.Join(modalBehaviours, ", "))
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("failed to listen for the modal fake: %w", err)
	}
	s := &Server{URL: "http://" + lis.Addr().String()}
	f := &modalFake{server: s, behaviour: behaviour, accounts: accounts}

	gs := grpc.NewServer(grpc.ForceServerCodecV2(ModalCodec{}))
	gs.RegisterService(&grpc.ServiceDesc{
		ServiceName: "modal.client.ModalClient",
		// The handlers are closures over f, so there is no service value to check.
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "TokenInfoGet", Handler: f.unary("TokenInfoGet", f.tokenInfoGet)},
			{MethodName: "ClientHello", Handler: f.unary("ClientHello", f.clientHello)},
		},
	}, nil)
	// Serve returns once Stop has closed the listener.
	go func() { _ = gs.Serve(lis) }()
	// Stop, not GracefulStop: it cancels calls in flight, so Close never waits
	// on a slow one.
	s.close = gs.Stop
	return s, nil
}

// unary turns answer into a gRPC handler that counts the call, applies the
// delay and the behaviour's faults, and checks the metadata first.
func (f *modalFake) unary(method string, answer func(Account) ([]byte, error)) grpc.MethodHandler {
	return func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		f.server.Begin()
		var req []byte
		if err := dec(&req); err != nil {
			return nil, err
		}
		if err := f.fault(ctx); err != nil {
			return nil, err
		}
		a, err := f.checkMetadata(ctx)
		if err != nil {
			f.server.log.add("%s %s", method, status.Code(err))
			return nil, err
		}
		if f.behaviour == "invalid" {
			f.server.log.add("%s %s", method, codes.Unauthenticated)
			return nil, status.Error(codes.Unauthenticated, "Invalid token")
		}
		f.server.log.add("%s OK %s", method, a.Identity)
		return answer(a)
	}
}

// fault applies the behaviours that fail or stall a call before the server
// looks at the credentials.
func (f *modalFake) fault(ctx context.Context) error {
	switch f.behaviour {
	case "unavailable":
		return status.Error(codes.Unavailable, "modal fake: service unavailable")
	case "flaky":
		if f.calls.Add(1) <= 2 {
			return status.Error(codes.Unavailable, "modal fake: service unavailable")
		}
	case "slow":
		t := time.NewTimer(SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		}
	}
	return nil
}

// checkModalMetadata rejects calls without the credentials and client
// identity the real server requires. The keys are spelled out here rather
// than taken from modalapi so that a typo there fails the tests.
func (f *modalFake) checkMetadata(ctx context.Context) (Account, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	ids, secrets := md.Get("x-modal-token-id"), md.Get("x-modal-token-secret")
	if len(ids) != 1 || len(secrets) != 1 {
		return Account{}, status.Error(codes.Unauthenticated, "Invalid token")
	}
	a, ok := byToken(f.accounts, ids[0], secrets[0])
	if !ok {
		return Account{}, status.Error(codes.Unauthenticated, "Invalid token")
	}
	if !slices.Equal(md.Get("x-modal-client-type"), []string{"1"}) {
		return Account{}, status.Error(codes.InvalidArgument, "missing or unknown x-modal-client-type")
	}
	if len(md.Get("x-modal-client-version")) != 1 || md.Get("x-modal-client-version")[0] == "" {
		return Account{}, status.Error(codes.InvalidArgument, "missing x-modal-client-version")
	}
	return a, nil
}

func (f *modalFake) tokenInfoGet(a Account) ([]byte, error) {
	if f.behaviour == "old-server" {
		// What grpc-go itself answers for a method it does not know.
		return nil, status.Error(codes.Unimplemented, "unknown method TokenInfoGet for service modal.client.ModalClient")
	}
	now := time.Now()
	user, workspace, _ := strings.Cut(a.Identity, "@")
	info := modalapi.TokenInfo{
		TokenID:       a.Token,
		WorkspaceID:   "ac-tokenguardFakeWs0001",
		WorkspaceName: workspace,
		UserID:        "us-tokenguardFakeUs0001",
		Username:      user,
		TokenName:     a.Role,
		CreatedAt:     now.Add(-30 * 24 * time.Hour),
	}
	switch f.behaviour {
	case "expiring":
		info.ExpiresAt = now.Add(2 * time.Hour)
	case "expired":
		info.ExpiresAt = now.Add(-24 * time.Hour)
	}
	return info.Marshal(), nil
}

// clientHello answers an empty ClientHelloResponse, which the client accepts.
func (f *modalFake) clientHello(Account) ([]byte, error) {
	return []byte{}, nil
}
