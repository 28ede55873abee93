//go:build !purego

package scan

import "golang.org/x/sys/cpu"

var haveVectorFilter = cpu.X86.HasAVX2

// markBlocks sets, for each of blocks 32-byte blocks of text, bit j of
// marks[block] when a keyword may start at position j of the block. It
// reads 32*blocks+4 bytes of text.
//
//go:noescape
func markBlocks(t *nibbleTables, text *byte, blocks int, marks *uint32)
