package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
)

// timeoutErr is a net.Error that timed out, like net/http's TLS handshake
// timeout or a dial timeout.
type timeoutErr struct{ msg string }

func (e timeoutErr) Error() string   { return e.msg }
func (e timeoutErr) Timeout() bool   { return true }
func (e timeoutErr) Temporary() bool { return true }

// netErr wraps a syscall error the way the net package reports it.
func netErr(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, errno)}
}

// urlErr wraps err the way http.Client reports it.
func urlErr(err error) error {
	return &url.Error{Op: "Get", URL: "https://huggingface.co/api/whoami-v2", Err: err}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		// Transient: worth another attempt.
		{"connection reset", urlErr(netErr("read", syscall.ECONNRESET)), true},
		{"connection refused", urlErr(netErr("dial", syscall.ECONNREFUSED)), true},
		{"connection aborted", netErr("read", syscall.ECONNABORTED), true},
		{"broken pipe", urlErr(netErr("write", syscall.EPIPE)), true},
		{"unexpected EOF", urlErr(io.ErrUnexpectedEOF), true},
		{"bare unexpected EOF", fmt.Errorf("failed to read body: %w", io.ErrUnexpectedEOF), true},
		{"EOF from the transport", urlErr(io.EOF), true},
		{"TLS handshake timeout", urlErr(timeoutErr{"net/http: TLS handshake timeout"}), true},
		{"dial timeout", urlErr(&net.OpError{Op: "dial", Err: timeoutErr{"i/o timeout"}}), true},
		{"temporary DNS failure", urlErr(&net.DNSError{Err: "server misbehaving", Name: "huggingface.co", IsTemporary: true}), true},
		{"DNS timeout", urlErr(&net.DNSError{Err: "timeout", Name: "huggingface.co", IsTimeout: true}), true},
		{"503 status", &StatusError{StatusCode: 503}, true},
		{"wrapped 429 status", fmt.Errorf("upload: %w", &StatusError{StatusCode: 429}), true},

		// Not transient, or not ours to retry.
		{"nil", nil, false},
		{"permanent reset", Permanent(netErr("read", syscall.ECONNRESET)), false},
		{"wrapped permanent", fmt.Errorf("upload: %w", Permanent(&StatusError{StatusCode: 503})), false},
		{"context canceled", context.Canceled, false},
		{"canceled in url.Error", urlErr(context.Canceled), false},
		{"caller's deadline", context.DeadlineExceeded, false},
		{"caller's deadline wrapped", fmt.Errorf("whoami: %w", context.DeadlineExceeded), false},
		{"caller's deadline in url.Error", urlErr(context.DeadlineExceeded), false},
		{"caller's deadline joined", errors.Join(errBoom, context.DeadlineExceeded), false},
		{"unknown authority", urlErr(x509.UnknownAuthorityError{}), false},
		{"hostname mismatch", urlErr(x509.HostnameError{Host: "evil.example"}), false},
		{"expired certificate", urlErr(x509.CertificateInvalidError{Reason: x509.Expired}), false},
		{"TLS verification", urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false},
		{"DNS not found", urlErr(&net.DNSError{Err: "no such host", Name: "hub.invalid", IsNotFound: true}), false},
		{"404 status", &StatusError{StatusCode: 404}, false},
		{"501 status", &StatusError{StatusCode: 501}, false},
		{"bare EOF", io.EOF, false},
		{"unknown error", errBoom, false},
		{"unknown network errno", urlErr(netErr("dial", syscall.EACCES)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestPermanentSeeThrough(t *testing.T) {
	inner := &StatusError{StatusCode: 503}
	err := fmt.Errorf("whoami: %w", Permanent(inner))
	var se *StatusError
	if !errors.As(err, &se) || se != inner {
		t.Error("errors.As does not see the StatusError through Permanent")
	}
	if !errors.Is(Permanent(errBoom), errBoom) {
		t.Error("errors.Is does not see through Permanent")
	}
	if Permanent(errBoom).Error() != errBoom.Error() {
		t.Error("Permanent changed the message")
	}
}
