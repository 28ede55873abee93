package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"
)

// permanentError marks an error that must not be retried.
type permanentError struct {
	err error
}

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err so that Do stops retrying at once; errors.Is/As still
// see through it. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// isPermanent reports whether err, or anything it wraps, was marked Permanent.
func isPermanent(err error) bool {
	var pe *permanentError
	return errors.As(err, &pe)
}

// Retryable classifies an error from a network call. It is true for
// timeouts (including an http.Client.Timeout, which matches
// context.DeadlineExceeded), a TLS handshake timeout, connection
// reset/refused/aborted, a broken pipe, an unexpected EOF, a temporary DNS
// failure and a *StatusError with a retryable code.
//
// It is false for nil, Permanent errors, context.Canceled, a bare
// context.DeadlineExceeded (the caller's own ctx ran out: waiting longer
// cannot help), certificate errors, and anything it does not recognise.
// Unknown means not retryable on purpose: retrying a bug or a rejected
// credential only delays the error by a minute and can hammer a server.
func Retryable(err error) bool {
	if err == nil || isPermanent(err) || errors.Is(err, context.Canceled) {
		return false
	}
	// A bad certificate will be just as bad on the next attempt.
	if isCertificateError(err) {
		return false
	}

	var se *StatusError
	if errors.As(err, &se) {
		return RetryableStatus(se.StatusCode)
	}

	// context.DeadlineExceeded at the bottom of the chain is a ctx deadline,
	// the caller's. http.Client.Timeout ends in net/http's own timeout type
	// instead (which errors.Is DeadlineExceeded too), so it passes to the
	// timeout check below.
	if endsInDeadline(err) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsTemporary {
		return true
	}

	switch {
	case errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}

	// A plain EOF from the transport means the server closed the connection
	// before answering (a restart, an idle keep-alive reaped). A bare io.EOF
	// from elsewhere is usually a normal end of input, so only trust it here.
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, io.EOF) {
		return true
	}
	return false
}

// isCertificateError reports whether err comes from verifying the server's
// certificate.
func isCertificateError(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		invalidCert  x509.CertificateInvalidError
		hostnameErr  x509.HostnameError
		rootsErr     x509.SystemRootsError
		insecureAlgo x509.InsecureAlgorithmError
	)
	return errors.As(err, &verifyErr) ||
		errors.As(err, &unknownAuth) ||
		errors.As(err, &invalidCert) ||
		errors.As(err, &hostnameErr) ||
		errors.As(err, &rootsErr) ||
		errors.As(err, &insecureAlgo)
}

// endsInDeadline reports whether any leaf of err's wrap tree is
// context.DeadlineExceeded itself.
func endsInDeadline(err error) bool {
	switch e := err.(type) {
	case interface{ Unwrap() error }:
		if inner := e.Unwrap(); inner != nil {
			return endsInDeadline(inner)
		}
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			if inner != nil && endsInDeadline(inner) {
				return true
			}
		}
		return false
	}
	return err == context.DeadlineExceeded
}
