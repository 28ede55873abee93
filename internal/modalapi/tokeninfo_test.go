package modalapi_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tokenguard/tokenguard/internal/modalapi"
)

var fullInfo = modalapi.TokenInfo{
	TokenID:         "ak-abcdefghijklmnopqrstuv",
	WorkspaceID:     "ac-123",
	WorkspaceName:   "ml-team",
	UserID:          "us-456",
	Username:        "alice",
	ServiceUserID:   "su-789",
	ServiceUserName: "ci-bot",
	TokenName:       "ci",
	CreatedAt:       time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC),
	ExpiresAt:       time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
}

// sameInfo compares two TokenInfo values, times by instant.
func sameInfo(a, b modalapi.TokenInfo) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.ExpiresAt.Equal(b.ExpiresAt) {
		return false
	}
	a.CreatedAt, a.ExpiresAt, b.CreatedAt, b.ExpiresAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func TestTokenInfoRoundTrip(t *testing.T) {
	for _, in := range []modalapi.TokenInfo{
		{},
		fullInfo,
		{TokenID: "ak-x", Username: "bob"},
		// The epoch is a set timestamp, encoded as an empty message.
		{ExpiresAt: time.Unix(0, 0)},
	} {
		got, err := modalapi.UnmarshalTokenInfo(in.Marshal())
		if err != nil {
			t.Fatalf("UnmarshalTokenInfo(%+v): %v", in, err)
		}
		if !sameInfo(got, in) {
			t.Errorf("round trip: got %+v, want %+v", got, in)
		}
	}
}

func TestUnmarshalTokenInfoEmptyMeansUnset(t *testing.T) {
	got, err := modalapi.UnmarshalTokenInfo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.IsZero() || !got.ExpiresAt.IsZero() || got != (modalapi.TokenInfo{}) {
		t.Errorf("got %+v, want zero", got)
	}
}

func TestUnmarshalTokenInfoSkipsUnknownFields(t *testing.T) {
	b := fullInfo.Marshal()
	// Unknown fields of every wire type, as a newer server might send.
	b = protowire.AppendTag(b, 20, protowire.VarintType)
	b = protowire.AppendVarint(b, 7)
	b = protowire.AppendTag(b, 21, protowire.Fixed32Type)
	b = protowire.AppendFixed32(b, 7)
	b = protowire.AppendTag(b, 22, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, 7)
	b = protowire.AppendTag(b, 23, protowire.BytesType)
	b = protowire.AppendString(b, "new")
	b = protowire.AppendTag(b, 24, protowire.StartGroupType)
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, 1)
	b = protowire.AppendTag(b, 24, protowire.EndGroupType)
	// A known field number with an unexpected wire type is skipped too.
	b = protowire.AppendTag(b, 3, protowire.VarintType)
	b = protowire.AppendVarint(b, 1)
	// An unknown field inside user_identity.
	var u []byte
	u = protowire.AppendTag(u, 9, protowire.BytesType)
	u = protowire.AppendString(u, "extra")
	b = protowire.AppendTag(b, 4, protowire.BytesType)
	b = protowire.AppendBytes(b, u)

	got, err := modalapi.UnmarshalTokenInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	if !sameInfo(got, fullInfo) {
		t.Errorf("got %+v, want %+v", got, fullInfo)
	}
}

func TestUnmarshalTokenInfoMergesRepeatedMessages(t *testing.T) {
	var b []byte
	b = modalapi.TokenInfo{UserID: "us-1"}.Marshal()
	b = append(b, modalapi.TokenInfo{Username: "alice"}.Marshal()...)
	got, err := modalapi.UnmarshalTokenInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != "us-1" || got.Username != "alice" {
		t.Errorf("got %+v, want both identity fields", got)
	}
}

func TestUnmarshalTokenInfoRejectsMalformed(t *testing.T) {
	full := fullInfo.Marshal()
	negNanos := protowire.AppendTag(nil, 2, protowire.VarintType)
	negNanos = protowire.AppendVarint(negNanos, uint64(0xFFFFFFFFFFFFFFFF)) // int32 -1
	for name, b := range map[string][]byte{
		"truncated":       full[:len(full)-1],
		"field zero":      {0x00},
		"bad length":      {0x0a, 0x7f, 'a'},
		"lone end group":  protowire.AppendTag(nil, 5, protowire.EndGroupType),
		"negative nanos":  protowire.AppendBytes(protowire.AppendTag(nil, 6, protowire.BytesType), negNanos),
		"bad nested user": {0x22, 0x02, 0x0a, 0x05},
	} {
		if _, err := modalapi.UnmarshalTokenInfo(b); err == nil {
			t.Errorf("%s: err = nil", name)
		}
	}
}

// FuzzDecodeTokenInfo checks that decoding never panics, and that whatever
// decodes survives a Marshal/Unmarshal round trip unchanged.
func FuzzDecodeTokenInfo(f *testing.F) {
	f.Add([]byte{})
	f.Add(fullInfo.Marshal())
	f.Add(modalapi.TokenInfo{ExpiresAt: time.Unix(0, 0)}.Marshal())
	f.Add([]byte{0x0a, 0x7f, 'a'})
	f.Add([]byte{0x32, 0x02, 0x10, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := modalapi.UnmarshalTokenInfo(b)
		if err != nil {
			return
		}
		again, err := modalapi.UnmarshalTokenInfo(info.Marshal())
		if err != nil {
			t.Fatalf("re-decoding %+v: %v", info, err)
		}
		if !sameInfo(again, info) {
			t.Fatalf("round trip changed %+v into %+v", info, again)
		}
	})
}
