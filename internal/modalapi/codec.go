package modalapi

import (
	"fmt"

	"google.golang.org/grpc/mem"
)

// Codec is a gRPC codec that carries protobuf messages already encoded by
// hand, unchanged. It is named "proto" so the wire content type is
// application/grpc+proto, as with generated clients. Messages are []byte on
// the way out and *[]byte on the way in. The fake Modal server uses it too.
type Codec struct{}

// Name is the content subtype gRPC puts on the wire.
func (Codec) Name() string { return "proto" }

// Marshal wraps the encoded message v ([]byte or *[]byte) without copying.
func (Codec) Marshal(v any) (mem.BufferSlice, error) {
	switch m := v.(type) {
	case []byte:
		return mem.BufferSlice{mem.SliceBuffer(m)}, nil
	case *[]byte:
		return mem.BufferSlice{mem.SliceBuffer(*m)}, nil
	}
	return nil, fmt.Errorf("modalapi codec cannot marshal %T, want []byte", v)
}

// Unmarshal stores a copy of the encoded message in v, which must be a *[]byte.
func (Codec) Unmarshal(data mem.BufferSlice, v any) error {
	p, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("modalapi codec cannot unmarshal into %T, want *[]byte", v)
	}
	// A copy, because gRPC frees data as soon as Unmarshal returns.
	*p = data.Materialize()
	return nil
}
