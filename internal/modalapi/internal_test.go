package modalapi

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct {
		url, base string
		tlsOn     bool
	}{
		{"", "https://api.modal.com:443", true},
		{"https://api.modal.com", "https://api.modal.com:443", true},
		{"https://api.modal.com/", "https://api.modal.com:443", true},
		{"https://modal.example:8443", "https://modal.example:8443", true},
		{"http://127.0.0.1:5000", "http://127.0.0.1:5000", false},
		{"http://localhost", "http://localhost:80", false},
		{"http://[::1]:5000", "http://[::1]:5000", false},
	} {
		base, tlsOn, err := endpoint(tc.url)
		if err != nil {
			t.Errorf("endpoint(%q): %v", tc.url, err)
			continue
		}
		if base != tc.base || tlsOn != tc.tlsOn {
			t.Errorf("endpoint(%q) = %q, %v; want %q, %v", tc.url, base, tlsOn, tc.base, tc.tlsOn)
		}
	}
}

// The fake never echoes the secret, so the scrubbing is tested here.
func TestCallErrorScrubsSecret(t *testing.T) {
	const secret = "as-echoedechoedechoed0000"
	for _, code := range []Code{Unauthenticated, Unavailable} {
		err := callError(context.Background(), "TokenInfoGet", &StatusError{Code: code, Message: "bad token secret " + secret}, secret)
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error reveals the secret: %v", err)
		}
		if got := CodeOf(err); got != code {
			t.Errorf("status code = %v, want %v", got, code)
		}
		if errors.Is(err, ErrUnauthenticated) != (code == Unauthenticated) {
			t.Errorf("errors.Is(%v, ErrUnauthenticated) wrong for %v", err, code)
		}
	}
}

func TestTransient(t *testing.T) {
	for code, want := range map[Code]bool{
		Unavailable:       true,
		DeadlineExceeded:  true,
		ResourceExhausted: true,
		Unauthenticated:   false,
		PermissionDenied:  false,
		Internal:          false,
	} {
		if got := Transient(&StatusError{Code: code, Message: "x"}); got != want {
			t.Errorf("Transient(%v) = %v, want %v", code, got, want)
		}
	}
	if Transient(errors.New("plain")) {
		t.Error("Transient(plain error) = true")
	}
}
