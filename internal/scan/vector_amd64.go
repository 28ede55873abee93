//go:build !purego

package scan

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// haveAVX2 turns on the vector code of vector_amd64.s; without it (or
// under -tags purego, or on other architectures) the scalar loops run.
var haveAVX2 = cpu.X86.HasAVX2

// The assembly reads the tables at these offsets: a change to the structs
// must fail the build here rather than the scan at run time.
var (
	_ = [1]struct{}{}[unsafe.Offsetof(nibbleTables{}.hi)-160]
	_ = [1]struct{}{}[unsafe.Offsetof(nibbleTables{}.low)-320]
	_ = [1]struct{}{}[unsafe.Offsetof(nibbleTables{}.fold)-352]
	_ = [1]struct{}{}[unsafe.Offsetof(classTables{}.hi)-32]
	_ = [1]struct{}{}[unsafe.Offsetof(classTables{}.low)-64]
)

// markBlocks sets, for each of blocks 32-byte blocks of text, bit j of
// marks[block] when a keyword may start at position j of the block. It
// reads 32*blocks+4 bytes of text.
//
//go:noescape
func markBlocks(t *nibbleTables, text *byte, blocks int, marks *uint32)

// spanBlocks returns the length of the longest prefix of the first
// 32*blocks bytes of text made only of bytes of the class t describes.
//
//go:noescape
func spanBlocks(t *classTables, text *byte, blocks int) int
