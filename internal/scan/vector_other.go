//go:build !amd64 || purego

package scan

const haveAVX2 = false

func markBlocks(t *nibbleTables, text *byte, blocks int, marks *uint32) {
	panic("markBlocks without AVX2")
}

func spanBlocks(t *classTables, text *byte, blocks int) int {
	panic("spanBlocks without AVX2")
}
