package gitrepo

import "errors"

var errBadDelta = errors.New("corrupt delta")

// patchDelta rebuilds an object from its base and a git delta: a header of
// two sizes (base, target), then copy-from-base and insert instructions.
// The target is allocated once at its final size.
func patchDelta(base, delta []byte) ([]byte, error) {
	srcSize, n := deltaSize(delta)
	if n == 0 || srcSize != uint64(len(base)) {
		return nil, errBadDelta
	}
	delta = delta[n:]
	dstSize, n := deltaSize(delta)
	if n == 0 {
		return nil, errBadDelta
	}
	delta = delta[n:]
	// Each instruction byte yields at most 64 KiB (a copy's size is 16-bit
	// unless its third size byte is used, which costs a byte more): a larger
	// claimed size is corrupt, and must not be allocated.
	if dstSize > uint64(len(delta))<<24 {
		return nil, errBadDelta
	}
	dst := make([]byte, 0, min(dstSize, 64<<20))
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0:
			var off, size uint64
			for i := range 4 {
				if cmd&(1<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					off |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := range 3 {
				if cmd&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					size |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if size == 0 {
				size = 0x10000
			}
			if off+size > uint64(len(base)) || uint64(len(dst))+size > dstSize {
				return nil, errBadDelta
			}
			dst = append(dst, base[off:off+size]...)
		case cmd != 0:
			size := int(cmd)
			if size > len(delta) || uint64(len(dst)+size) > dstSize {
				return nil, errBadDelta
			}
			dst = append(dst, delta[:size]...)
			delta = delta[size:]
		default:
			return nil, errBadDelta // reserved instruction
		}
	}
	if uint64(len(dst)) != dstSize {
		return nil, errBadDelta
	}
	return dst, nil
}
