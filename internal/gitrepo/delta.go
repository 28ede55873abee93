package gitrepo

import "errors"

var errBadDelta = errors.New("corrupt delta")

// A git delta is a header of two sizes (base, target), then instructions:
// copy a range of the base, or insert the bytes that follow. Two readers
// apply one: patchDelta writes the target out from the base's bytes;
// compose (compose.go) describes it as spans of the chain's root without
// writing it. Both decode it here.

// deltaHeader reads a delta's two sizes and returns the instructions. A
// base of another size than baseSize is refused, and so is a claimed
// target that the instructions could not produce: it must not be
// allocated.
func deltaHeader(delta []byte, baseSize int64) (target int64, ops []byte, err error) {
	if len(delta) < 4 {
		return 0, nil, errBadDelta // git's DELTA_SIZE_MIN: two sizes and an instruction
	}
	src, n := deltaSize(delta)
	if n == 0 || src != uint64(baseSize) {
		return 0, nil, errBadDelta
	}
	delta = delta[n:]
	dst, n := deltaSize(delta)
	if n == 0 {
		return 0, nil, errBadDelta
	}
	delta = delta[n:]
	// Each instruction byte yields at most 64 KiB (a copy's size is 16-bit
	// unless its third size byte is used, which costs a byte more).
	if dst > uint64(len(delta))<<24 {
		return 0, nil, errBadDelta
	}
	return int64(dst), delta, nil
}

// deltaOp is one instruction: lit to insert, or size bytes of the base
// from off.
type deltaOp struct {
	off, size int64
	lit       []byte
}

// nextOp decodes the first instruction of ops and returns the rest.
func nextOp(ops []byte) (deltaOp, []byte, error) {
	cmd := ops[0]
	ops = ops[1:]
	switch {
	case cmd&0x80 != 0:
		var off, size int64
		for i := range 4 {
			if cmd&(1<<i) != 0 {
				if len(ops) == 0 {
					return deltaOp{}, nil, errBadDelta
				}
				off |= int64(ops[0]) << (8 * i)
				ops = ops[1:]
			}
		}
		for i := range 3 {
			if cmd&(0x10<<i) != 0 {
				if len(ops) == 0 {
					return deltaOp{}, nil, errBadDelta
				}
				size |= int64(ops[0]) << (8 * i)
				ops = ops[1:]
			}
		}
		if size == 0 {
			size = 0x10000
		}
		return deltaOp{off: off, size: size}, ops, nil
	case cmd != 0:
		size := int(cmd)
		if size > len(ops) {
			return deltaOp{}, nil, errBadDelta
		}
		return deltaOp{size: int64(size), lit: ops[:size]}, ops[size:], nil
	}
	return deltaOp{}, nil, errBadDelta // reserved instruction
}

// newBuffer returns an empty slice with room for n bytes.
func newBuffer(n int) []byte { return make([]byte, 0, n) }

// patchDelta rebuilds an object from its base and a delta, into a buffer
// from alloc at its final size (newBuffer, or a recycled one).
func patchDelta(base, delta []byte, alloc func(int) []byte) ([]byte, error) {
	dstSize, ops, err := deltaHeader(delta, int64(len(base)))
	if err != nil {
		return nil, err
	}
	dst := alloc(int(min(dstSize, 64<<20)))
	for len(ops) > 0 {
		var op deltaOp
		if op, ops, err = nextOp(ops); err != nil {
			return nil, err
		}
		if int64(len(dst))+op.size > dstSize {
			return nil, errBadDelta
		}
		if op.lit != nil {
			dst = append(dst, op.lit...)
			continue
		}
		if op.off+op.size > int64(len(base)) {
			return nil, errBadDelta
		}
		dst = append(dst, base[op.off:op.off+op.size]...)
	}
	if int64(len(dst)) != dstSize {
		return nil, errBadDelta
	}
	return dst, nil
}
