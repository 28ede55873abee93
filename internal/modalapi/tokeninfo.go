package modalapi

import (
	"encoding/binary"
	"fmt"
	"time"
)

// TokenInfo is what Modal's TokenInfoGet says about a token.
type TokenInfo struct {
	TokenID       string
	WorkspaceID   string
	WorkspaceName string
	// UserID and Username are set for a user's token.
	UserID   string
	Username string
	// ServiceUserID and ServiceUserName are set for a service user's token;
	// Modal does not document them, so they are best effort.
	ServiceUserID   string
	ServiceUserName string
	TokenName       string
	// CreatedAt and ExpiresAt are zero when the server leaves them unset;
	// an unset ExpiresAt means the token does not expire.
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Field numbers of TokenInfoGetResponse and the messages inside it.
const (
	fieldTokenID             int = 1
	fieldWorkspaceID         int = 2
	fieldWorkspaceName       int = 3
	fieldUserIdentity        int = 4
	fieldServiceUserIdentity int = 5
	fieldCreatedAt           int = 6
	fieldExpiresAt           int = 7
	fieldTokenName           int = 8

	// UserIdentity and ServiceUserIdentity share their layout.
	fieldIdentityID   int = 1
	fieldIdentityName int = 2

	// google.protobuf.Timestamp.
	fieldSeconds int = 1
	fieldNanos   int = 2
)

// Marshal encodes t as a TokenInfoGetResponse message.
func (t TokenInfo) Marshal() []byte {
	var b []byte
	b = appendString(b, fieldTokenID, t.TokenID)
	b = appendString(b, fieldWorkspaceID, t.WorkspaceID)
	b = appendString(b, fieldWorkspaceName, t.WorkspaceName)
	b = appendIdentity(b, fieldUserIdentity, t.UserID, t.Username)
	b = appendIdentity(b, fieldServiceUserIdentity, t.ServiceUserID, t.ServiceUserName)
	b = appendTimestamp(b, fieldCreatedAt, t.CreatedAt)
	b = appendTimestamp(b, fieldExpiresAt, t.ExpiresAt)
	b = appendString(b, fieldTokenName, t.TokenName)
	return b
}

// appendString appends a string field; proto3 leaves out empty strings.
func appendString(b []byte, num int, s string) []byte {
	if s == "" {
		return b
	}
	b = appendTag(b, num, bytesType)
	return appendBytes(b, []byte(s))
}

// appendMessage appends an embedded message, even an empty one: for message
// fields, presence itself carries meaning.
func appendMessage(b []byte, num int, msg []byte) []byte {
	b = appendTag(b, num, bytesType)
	return appendBytes(b, msg)
}

func appendIdentity(b []byte, num int, id, name string) []byte {
	if id == "" && name == "" {
		return b
	}
	var m []byte
	m = appendString(m, fieldIdentityID, id)
	m = appendString(m, fieldIdentityName, name)
	return appendMessage(b, num, m)
}

func appendTimestamp(b []byte, num int, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	var m []byte
	if s := t.Unix(); s != 0 {
		m = appendTag(m, fieldSeconds, varintType)
		m = binary.AppendUvarint(m, uint64(s))
	}
	if n := t.Nanosecond(); n != 0 {
		m = appendTag(m, fieldNanos, varintType)
		m = binary.AppendUvarint(m, uint64(n))
	}
	return appendMessage(b, num, m)
}

// UnmarshalTokenInfo decodes a TokenInfoGetResponse message. Unknown fields,
// and known fields with an unexpected wire type, are skipped as protobuf
// parsers do, so a newer server's additions do not break the check.
func UnmarshalTokenInfo(b []byte) (TokenInfo, error) {
	var t TokenInfo
	err := eachField(b, func(f field) error {
		if f.typ != bytesType {
			return nil
		}
		var err error
		switch f.num {
		case fieldTokenID:
			t.TokenID = string(f.bytes)
		case fieldWorkspaceID:
			t.WorkspaceID = string(f.bytes)
		case fieldWorkspaceName:
			t.WorkspaceName = string(f.bytes)
		case fieldUserIdentity:
			err = decodeIdentity(f.bytes, &t.UserID, &t.Username)
		case fieldServiceUserIdentity:
			err = decodeIdentity(f.bytes, &t.ServiceUserID, &t.ServiceUserName)
		case fieldCreatedAt:
			t.CreatedAt, err = decodeTimestamp(f.bytes, t.CreatedAt)
		case fieldExpiresAt:
			t.ExpiresAt, err = decodeTimestamp(f.bytes, t.ExpiresAt)
		case fieldTokenName:
			t.TokenName = string(f.bytes)
		}
		if err != nil {
			return fmt.Errorf("field %d: %w", f.num, err)
		}
		return nil
	})
	if err != nil {
		return TokenInfo{}, fmt.Errorf("failed to decode TokenInfoGetResponse: %w", err)
	}
	return t, nil
}

// decodeIdentity decodes a UserIdentity or ServiceUserIdentity into id and
// name. It writes through pointers because a message field that occurs twice
// is merged, not replaced.
func decodeIdentity(b []byte, id, name *string) error {
	return eachField(b, func(f field) error {
		if f.typ != bytesType {
			return nil
		}
		switch f.num {
		case fieldIdentityID:
			*id = string(f.bytes)
		case fieldIdentityName:
			*name = string(f.bytes)
		}
		return nil
	})
}

// decodeTimestamp decodes a google.protobuf.Timestamp, merged onto prev when
// the field occurred before.
func decodeTimestamp(b []byte, prev time.Time) (time.Time, error) {
	var sec, nsec int64
	if !prev.IsZero() {
		sec, nsec = prev.Unix(), int64(prev.Nanosecond())
	}
	err := eachField(b, func(f field) error {
		if f.typ != varintType {
			return nil
		}
		switch f.num {
		case fieldSeconds:
			sec = int64(f.varint)
		case fieldNanos:
			// int32 on the wire: a negative value arrives sign-extended.
			nsec = int64(int32(f.varint))
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	if nsec < 0 || nsec >= int64(time.Second) {
		return time.Time{}, fmt.Errorf("timestamp nanos %d out of range", nsec)
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// field is one field of a protobuf message, as eachField decodes it.
type field struct {
	num    int
	typ    wireType
	bytes  []byte // payload of a length-delimited field
	varint uint64 // value of a varint field
}

// eachField calls fn for each field of message b, in order. Fields of other
// wire types than varint and length-delimited are skipped whole, since none
// of the messages here use them. It stops at the first malformed field or
// error from fn.
func eachField(b []byte, fn func(f field) error) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return fmt.Errorf("bad tag: %w", errWire)
		}
		b = b[n:]
		f := field{num: num, typ: typ}
		switch typ {
		case bytesType:
			f.bytes, n = consumeBytes(b)
		case varintType:
			f.varint, n = consumeVarint(b)
		default:
			n = skipValue(num, typ, b, 0)
		}
		if n < 0 {
			return fmt.Errorf("bad field %d: %w", num, errWire)
		}
		b = b[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}
