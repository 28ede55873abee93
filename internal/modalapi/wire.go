package modalapi

import (
	"encoding/binary"
	"errors"
)

// The protobuf wire format, as far as TokenInfo needs it. It is written
// here rather than taken from protowire because that package's
// initialisation opens and reads the running binary (internal/detrand), on
// every start of every tool that links it; tokeninfo_test holds this code
// to protowire.

// wireType is a protobuf wire type.
type wireType int

const (
	varintType     wireType = 0
	fixed64Type    wireType = 1
	bytesType      wireType = 2
	startGroupType wireType = 3
	endGroupType   wireType = 4
	fixed32Type    wireType = 5
)

// errWire is a message that does not follow the wire format.
var errWire = errors.New("malformed protobuf message")

func appendTag(b []byte, num int, typ wireType) []byte {
	return binary.AppendUvarint(b, uint64(num)<<3|uint64(typ))
}

func appendBytes(b, v []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// consumeVarint returns the varint at the start of b and its length, or
// n < 0 when it is cut short or longer than 10 bytes.
func consumeVarint(b []byte) (v uint64, n int) {
	v, n = binary.Uvarint(b)
	if n <= 0 {
		return 0, -1
	}
	return v, n
}

// consumeTag returns the field number and wire type at the start of b.
func consumeTag(b []byte) (num int, typ wireType, n int) {
	v, n := consumeVarint(b)
	if n < 0 || v>>3 == 0 || v>>3 > 1<<31-1 {
		return 0, 0, -1 // as protowire: a number from 1, that fits an int32
	}
	return int(v >> 3), wireType(v & 7), n
}

// consumeBytes returns the payload of a length-delimited value.
func consumeBytes(b []byte) ([]byte, int) {
	l, n := consumeVarint(b)
	if n < 0 || l > uint64(len(b)-n) {
		return nil, -1
	}
	return b[n : n+int(l)], n + int(l)
}

// skipValue returns the length of the value of field num of type typ at
// the start of b; a group is skipped to its matching end.
func skipValue(num int, typ wireType, b []byte, depth int) int {
	switch typ {
	case varintType:
		_, n := consumeVarint(b)
		return n
	case fixed32Type:
		if len(b) < 4 {
			return -1
		}
		return 4
	case fixed64Type:
		if len(b) < 8 {
			return -1
		}
		return 8
	case bytesType:
		_, n := consumeBytes(b)
		return n
	case startGroupType:
		if depth > 10000 { // protowire's recursion limit
			return -1
		}
		total := 0
		for {
			gnum, gtyp, n := consumeTag(b[total:])
			if n < 0 {
				return -1
			}
			total += n
			if gtyp == endGroupType {
				if gnum != num {
					return -1
				}
				return total
			}
			m := skipValue(gnum, gtyp, b[total:], depth+1)
			if m < 0 {
				return -1
			}
			total += m
		}
	}
	return -1 // an end group without its start, or types 6 and 7
}
