package modalapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tokenguard/tokenguard/internal/modalapi"
	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

// startModal starts the fake Modal server with behaviour, closed at the end of the test.
func startModal(t *testing.T, behaviour string) *tokentest.Server {
	t.Helper()
	s, err := tokentest.NewModal(behaviour)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// check runs Check against s with the fake's credentials, or secret if given.
func check(t *testing.T, s *tokentest.Server, secret string) (modalapi.TokenInfo, bool, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	return modalapi.Check(ctx, s.URL, tokentest.ModalTokenID, secret)
}

// near reports whether got is within a minute of want.
func near(got, want time.Time) bool {
	d := got.Sub(want)
	return d > -time.Minute && d < time.Minute
}

func TestCheckOK(t *testing.T) {
	s := startModal(t, "ok")
	info, fallback, err := check(t, s, tokentest.ModalTokenSecret)
	if err != nil {
		t.Fatal(err)
	}
	if fallback {
		t.Error("fallback = true, want false")
	}
	if info.TokenID != tokentest.ModalTokenID || info.WorkspaceName != "ml-team" ||
		info.Username != "alice" || info.TokenName != "ci" || info.WorkspaceID == "" || info.UserID == "" {
		t.Errorf("info = %+v", info)
	}
	if want := time.Now().Add(-30 * 24 * time.Hour); !near(info.CreatedAt, want) {
		t.Errorf("CreatedAt = %v, want about %v", info.CreatedAt, want)
	}
	if !info.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %v, want zero (no expiry)", info.ExpiresAt)
	}
	if n := s.Requests(); n != 1 {
		t.Errorf("server saw %d calls, want 1", n)
	}
}

func TestCheckExpiry(t *testing.T) {
	for behaviour, offset := range map[string]time.Duration{
		"expiring": 2 * time.Hour,
		// Check reports an expired token as data, not as an error: the caller decides.
		"expired": -24 * time.Hour,
	} {
		t.Run(behaviour, func(t *testing.T) {
			s := startModal(t, behaviour)
			info, _, err := check(t, s, tokentest.ModalTokenSecret)
			if err != nil {
				t.Fatal(err)
			}
			if want := time.Now().Add(offset); !near(info.ExpiresAt, want) {
				t.Errorf("ExpiresAt = %v, want about %v", info.ExpiresAt, want)
			}
		})
	}
}

func TestCheckBadSecret(t *testing.T) {
	s := startModal(t, "ok")
	const wrong = "as-wrongwrongwrongwrong00"
	_, _, err := check(t, s, wrong)
	if !errors.Is(err, modalapi.ErrUnauthenticated) {
		t.Fatalf("err = %v, want ErrUnauthenticated", err)
	}
	if got := modalapi.CodeOf(err); got != modalapi.Unauthenticated {
		t.Errorf("status code = %v, want Unauthenticated", got)
	}
	if modalapi.Transient(err) {
		t.Error("Transient = true for rejected credentials")
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error reveals the secret: %v", err)
	}
}

func TestCheckInvalid(t *testing.T) {
	s := startModal(t, "invalid")
	_, _, err := check(t, s, tokentest.ModalTokenSecret)
	if !errors.Is(err, modalapi.ErrUnauthenticated) {
		t.Fatalf("err = %v, want ErrUnauthenticated", err)
	}
}

func TestCheckOldServerFallsBack(t *testing.T) {
	s := startModal(t, "old-server")
	info, fallback, err := check(t, s, tokentest.ModalTokenSecret)
	if err != nil {
		t.Fatal(err)
	}
	if !fallback {
		t.Error("fallback = false, want true")
	}
	if info != (modalapi.TokenInfo{}) {
		t.Errorf("info = %+v, want empty", info)
	}
	if n := s.Requests(); n != 2 {
		t.Errorf("server saw %d calls, want 2 (TokenInfoGet, ClientHello)", n)
	}
}

func TestCheckOldServerBadSecret(t *testing.T) {
	s := startModal(t, "old-server")
	_, _, err := check(t, s, "as-wrongwrongwrongwrong00")
	if !errors.Is(err, modalapi.ErrUnauthenticated) {
		t.Fatalf("err = %v, want ErrUnauthenticated", err)
	}
}

func TestCheckUnavailableIsTransient(t *testing.T) {
	s := startModal(t, "unavailable")
	_, _, err := check(t, s, tokentest.ModalTokenSecret)
	if err == nil {
		t.Fatal("err = nil")
	}
	if !modalapi.Transient(err) {
		t.Errorf("Transient(%v) = false, want true", err)
	}
	if errors.Is(err, modalapi.ErrUnauthenticated) {
		t.Errorf("err = %v matches ErrUnauthenticated", err)
	}
}

func TestCheckFlakyRecovers(t *testing.T) {
	s := startModal(t, "flaky")
	for i := range 2 {
		if _, _, err := check(t, s, tokentest.ModalTokenSecret); !modalapi.Transient(err) {
			t.Fatalf("call %d: err = %v, want a transient error", i+1, err)
		}
	}
	if _, _, err := check(t, s, tokentest.ModalTokenSecret); err != nil {
		t.Fatalf("call 3: %v", err)
	}
}

func TestCheckNoServerIsTransient(t *testing.T) {
	s := startModal(t, "ok")
	url := s.URL
	s.Close()
	_, _, err := modalapi.Check(t.Context(), url, tokentest.ModalTokenID, tokentest.ModalTokenSecret)
	if !modalapi.Transient(err) {
		t.Errorf("Transient(%v) = false, want true", err)
	}
}

func TestCheckTimeoutReturnsPromptly(t *testing.T) {
	s := startModal(t, "slow")
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := modalapi.Check(ctx, s.URL, tokentest.ModalTokenID, tokentest.ModalTokenSecret)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Check took %v with a 200ms timeout", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	// The caller's own deadline is not worth a retry.
	if modalapi.Transient(err) {
		t.Errorf("Transient(%v) = true after the caller's deadline", err)
	}
}

func TestCloseDoesNotWaitForSlowCalls(t *testing.T) {
	s, err := tokentest.NewModal("slow")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := modalapi.Check(context.Background(), s.URL, tokentest.ModalTokenID, tokentest.ModalTokenSecret)
		done <- err
	}()
	for s.Requests() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Check succeeded against a closed server")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Check still waiting 5s after Close")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Close took %v", elapsed)
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	for _, behaviour := range []string{"ok", "invalid", "unavailable", "old-server", "slow"} {
		t.Run(behaviour, func(t *testing.T) {
			s := startModal(t, behaviour)
			for _, secret := range []string{tokentest.ModalTokenSecret, "as-wrongwrongwrongwrong00"} {
				ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
				_, _, err := modalapi.Check(ctx, s.URL, tokentest.ModalTokenID, secret)
				cancel()
				if err != nil && strings.Contains(err.Error(), secret) {
					t.Errorf("error reveals the secret: %v", err)
				}
			}
		})
	}
}

func TestCheckBadURL(t *testing.T) {
	for _, url := range []string{"ftp://api.modal.com", "api.modal.com:443", "https://", "http://[::1"} {
		_, _, err := modalapi.Check(t.Context(), url, tokentest.ModalTokenID, tokentest.ModalTokenSecret)
		if err == nil {
			t.Errorf("Check(%q): err = nil, want an invalid URL error", url)
		}
	}
}

// TestFakeRequiresMetadata proves the metadata Check sends is checked: a
// bare call, without the metadata Check adds, is refused, so TestCheckOK can
// only pass if all four keys arrive.
func TestFakeRequiresMetadata(t *testing.T) {
	s := startModal(t, "ok")
	conn, err := grpc.NewClient(strings.TrimPrefix(s.URL, "http://"),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(tokentest.ModalCodec{})),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	call := func(kv ...string) error {
		ctx := metadata.AppendToOutgoingContext(t.Context(), kv...)
		var resp []byte
		return conn.Invoke(ctx, modalapi.MethodTokenInfoGet, []byte(nil), &resp)
	}
	creds := []string{"x-modal-token-id", tokentest.ModalTokenID, "x-modal-token-secret", tokentest.ModalTokenSecret}
	client := []string{"x-modal-client-type", "1", "x-modal-client-version", "1.0.0"}

	if got := status.Code(call()); got != codes.Unauthenticated {
		t.Errorf("no metadata: code %v, want Unauthenticated", got)
	}
	if got := status.Code(call(client...)); got != codes.Unauthenticated {
		t.Errorf("no credentials: code %v, want Unauthenticated", got)
	}
	if got := status.Code(call(creds...)); got != codes.InvalidArgument {
		t.Errorf("no client type and version: code %v, want InvalidArgument", got)
	}
	if err := call(append(creds, client...)...); err != nil {
		t.Errorf("all metadata: %v", err)
	}
}

func TestNewModalUnknownBehaviour(t *testing.T) {
	_, err := tokentest.NewModal("sideways")
	if err == nil || !strings.Contains(err.Error(), "old-server") {
		t.Errorf("err = %v, want one listing the behaviours", err)
	}
}
