package modalapi

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
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

// FuzzWireAgreesWithProtowire holds the hand-written wire decoding to
// protowire's: the same messages accepted, the same fields read.
func FuzzWireAgreesWithProtowire(f *testing.F) {
	f.Add(TokenInfo{TokenID: "ak-1", Username: "alice", CreatedAt: time.Unix(1700000000, 5)}.Marshal())
	f.Add([]byte{0xa3, 0x01, 0x08, 0x01, 0xa4, 0x01}) // a group of field 20
	f.Add([]byte{0x0d, 1, 2, 3, 4, 0x11, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02})
	f.Fuzz(func(t *testing.T, b []byte) {
		var ours []field
		errOurs := eachField(b, func(f field) error { ours = append(ours, f); return nil })
		var theirs []field
		ok := true
		for rest := b; len(rest) > 0; {
			num, typ, n := protowire.ConsumeTag(rest)
			if n < 0 {
				ok = false
				break
			}
			rest = rest[n:]
			f := field{num: int(num), typ: wireType(typ)}
			m := protowire.ConsumeFieldValue(num, typ, rest)
			if m < 0 {
				ok = false
				break
			}
			switch typ {
			case protowire.BytesType:
				f.bytes, _ = protowire.ConsumeBytes(rest)
			case protowire.VarintType:
				f.varint, _ = protowire.ConsumeVarint(rest)
			}
			theirs = append(theirs, f)
			rest = rest[m:]
		}
		if (errOurs == nil) != ok {
			t.Fatalf("ours: %v, protowire accepts: %v", errOurs, ok)
		}
		if ok && !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("fields differ:\nours     %+v\nprotowire %+v", ours, theirs)
		}
	})
}
