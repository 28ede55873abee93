package modalapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestDialTarget(t *testing.T) {
	for _, tc := range []struct {
		url, target, security string
	}{
		{"", "dns:///api.modal.com:443", "tls"},
		{"https://api.modal.com", "dns:///api.modal.com:443", "tls"},
		{"https://api.modal.com/", "dns:///api.modal.com:443", "tls"},
		{"https://modal.example:8443", "dns:///modal.example:8443", "tls"},
		{"http://127.0.0.1:5000", "dns:///127.0.0.1:5000", "insecure"},
		{"http://localhost", "dns:///localhost:80", "insecure"},
		{"http://[::1]:5000", "dns:///[::1]:5000", "insecure"},
	} {
		target, creds, err := dialTarget(tc.url)
		if err != nil {
			t.Errorf("dialTarget(%q): %v", tc.url, err)
			continue
		}
		if target != tc.target || creds.Info().SecurityProtocol != tc.security {
			t.Errorf("dialTarget(%q) = %q, %q; want %q, %q",
				tc.url, target, creds.Info().SecurityProtocol, tc.target, tc.security)
		}
	}
}

// The fake never echoes the secret, so the scrubbing is tested here.
func TestCallErrorScrubsSecret(t *testing.T) {
	const secret = "as-echoedechoedechoed0000"
	for _, code := range []codes.Code{codes.Unauthenticated, codes.Unavailable} {
		err := callError(context.Background(), "TokenInfoGet", status.Error(code, "bad token secret "+secret), secret)
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error reveals the secret: %v", err)
		}
		if got := status.Code(err); got != code {
			t.Errorf("status code = %v, want %v", got, code)
		}
		if errors.Is(err, ErrUnauthenticated) != (code == codes.Unauthenticated) {
			t.Errorf("errors.Is(%v, ErrUnauthenticated) wrong for %v", err, code)
		}
	}
}

func TestTransient(t *testing.T) {
	for code, want := range map[codes.Code]bool{
		codes.Unavailable:       true,
		codes.DeadlineExceeded:  true,
		codes.ResourceExhausted: true,
		codes.Unauthenticated:   false,
		codes.PermissionDenied:  false,
		codes.Internal:          false,
		codes.OK:                false,
	} {
		if got := Transient(status.Error(code, "x")); got != want {
			t.Errorf("Transient(%v) = %v, want %v", code, got, want)
		}
	}
	if Transient(errors.New("plain")) {
		t.Error("Transient(plain error) = true")
	}
}
