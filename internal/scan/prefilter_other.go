//go:build !amd64 || purego

package scan

const haveVectorFilter = false

func markBlocks(t *nibbleTables, text *byte, blocks int, marks *uint32) {
	panic("markBlocks without a vector unit")
}
