package modalapi_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"

	"github.com/tokenguard/tokenguard/internal/modalapi"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// TestCheckOverTLS calls grpc-go's own server over TLS, as api.modal.com is
// reached: HTTP/2 must be negotiated by ALPN and the metadata must arrive.
func TestCheckOverTLS(t *testing.T) {
	// httptest's certificate, for 127.0.0.1.
	hs := httptest.NewUnstartedServer(nil)
	hs.StartTLS()
	cert, roots := hs.TLS.Certificates[0], x509.NewCertPool()
	roots.AddCert(hs.Certificate())
	hs.Close()

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan []string, 1)
	gs := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}})),
		grpc.ForceServerCodecV2(tokentest.ModalCodec{}))
	gs.RegisterService(&grpc.ServiceDesc{
		ServiceName: "modal.client.ModalClient",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "TokenInfoGet", Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			var req []byte
			if err := dec(&req); err != nil {
				return nil, err
			}
			md, _ := metadata.FromIncomingContext(ctx)
			sent <- md.Get(modalapi.MetadataTokenSecret)
			return modalapi.TokenInfo{WorkspaceName: "ml-team"}.Marshal(), nil
		}}},
	}, nil)
	go func() { _ = gs.Serve(lis) }()
	defer gs.Stop()

	info, fallback, err := modalapi.CheckTLS(t.Context(), "https://"+lis.Addr().String(), "ak-x", "as-y",
		&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-sent; fallback || info.WorkspaceName != "ml-team" || len(got) != 1 || got[0] != "as-y" {
		t.Errorf("info %+v, fallback %v, secret sent %q", info, fallback, got)
	}
	// Without the test root, the certificate is refused.
	if _, _, err := modalapi.Check(t.Context(), "https://"+lis.Addr().String(), "ak-x", "as-y"); err == nil {
		t.Error("a certificate from no trusted root was accepted")
	}
}
