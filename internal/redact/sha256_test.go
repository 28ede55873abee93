package redact

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// sum256 is crypto/sha256's Sum256 on every length around the block and
// padding boundaries, and on the published test vectors.
func TestSum256(t *testing.T) {
	for n := 0; n <= 200; n++ {
		msg := []byte(strings.Repeat("aé", n)[:n])
		if got, want := sum256(msg), sha256.Sum256(msg); got != want {
			t.Errorf("length %d: %x, crypto/sha256 %x", n, got, want)
		}
	}
	for msg, want := range map[string]string{
		"":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	} {
		if got := sum256([]byte(msg)); hexString(got[:]) != want {
			t.Errorf("%q: %x, want %s", msg, got, want)
		}
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		if got, want := sum256(msg), sha256.Sum256(msg); got != want {
			t.Errorf("%q: %x, crypto/sha256 %x", msg, got, want)
		}
	})
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}
