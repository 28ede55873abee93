package inflate

import "math/bits"

// A decoding table maps the next bits of the input (lowest bit first, as
// DEFLATE packs its codes) to what they start: a primary table indexed by
// the next root bits, and for codes longer than that a sub-table indexed
// by the bits after them. Each entry is a uint32:
//
//	bits 0-3   the code's length in bits (0 in entries no code reaches)
//	bits 8-11  extra bits after the code (lengths, distances), or a
//	           sub-table's index bits
//	bits 12-15 the entry's kind (below); none set: a length or distance
//	bits 16-31 the value: literal byte, base length or distance, code
//	           length symbol, or a sub-table's offset
const (
	kindSub = 1 << 12 // the code continues in a sub-table
	kindBad = 1 << 13 // no code, or symbol 286, 287 or distance 30, 31
	kindEnd = 1 << 14 // end of block
	kindLit = 1 << 15 // a literal byte
)

// Root bits of the tables. Small streams (git trees and deltas of a few
// hundred bytes) rebuild a table for each block, so a table costs as much
// to fill as to use: 9 bits cover the fixed code and most of a dynamic
// one; longer codes go to sub-tables.
const (
	litBits  = 9
	distBits = 7
	clenBits = 7 // code length codes are at most 7 bits: no sub-tables
)

// Table sizes. A complete code's sub-tree under one root entry is a full
// binary tree: a sub-table of 2^d entries holds at least d+1 of the
// code's symbols, and d is at most 15-root. So the sub-tables of a code
// of s symbols fill at most s/(d+1) tables of 2^d with d = 15-root, plus
// one smaller: 40*64+32 for 286 literal/length symbols, 3*256+4 for 30
// distances. The builder still checks, so a mistake here is an error,
// never a write out of range.
const (
	litSize  = 1<<litBits + 40*64 + 32
	distSize = 1<<distBits + 3*256 + 4
	clenSize = 1 << clenBits
)

const (
	maxLit  = 286 // literal/length codes a dynamic block may define
	maxDist = 30
)

// litKind and distKind are the table entries of each symbol without the
// code length: the meaning the RFC gives the symbol.
var litKind, distKind = symbolKinds()

func symbolKinds() (lit [288]uint32, dist [32]uint32) {
	for s := range 256 {
		lit[s] = kindLit | uint32(s)<<16
	}
	lit[256] = kindEnd
	// Length codes 257..284: 4 codes of each extra-bit count from 0 to
	// 5 (the first 8 with none), bases following on; 285 is 258, no extra.
	base := 3
	for s := 257; s < 285; s++ {
		extra := 0
		if s >= 265 {
			extra = (s - 261) / 4
		}
		lit[s] = uint32(base)<<16 | uint32(extra)<<8
		base += 1 << extra
	}
	lit[285] = 258 << 16
	lit[286], lit[287] = kindBad, kindBad
	// Distance codes 0..29: 2 of each extra-bit count from 0 (4 with none).
	base = 1
	for s := range 30 {
		extra := 0
		if s >= 4 {
			extra = s/2 - 1
		}
		dist[s] = uint32(base)<<16 | uint32(extra)<<8
		base += 1 << extra
	}
	dist[30], dist[31] = kindBad, kindBad
	return lit, dist
}

// The fixed code's tables, built once, indexed by 9 and 5 bits.
var fixedLit, fixedDist = fixedTables()

func fixedTables() (lit *[litSize]uint32, dist *[distSize]uint32) {
	var lens [288]uint8
	for s := range lens {
		switch {
		case s < 144:
			lens[s] = 8
		case s < 256:
			lens[s] = 9
		case s < 280:
			lens[s] = 7
		default:
			lens[s] = 8
		}
	}
	var dlens [32]uint8
	for s := range dlens {
		dlens[s] = 5
	}
	lit, dist = new([litSize]uint32), new([distSize]uint32)
	lr, ok1 := build(lit[:], litBits, lens[:], litKind[:])
	dr, ok2 := build(dist[:], distBits, dlens[:], distKind[:])
	if !ok1 || !ok2 || lr != 9 || dr != 5 {
		panic("inflate: the fixed code does not build")
	}
	return lit, dist
}

// build fills t with the decoding table of the canonical prefix code whose
// code lengths are lens (0: symbol unused); kind gives each symbol's entry.
// The primary table is indexed by as many bits as the longest code, at
// most maxRoot: the number it returns (a small stream's code is short,
// and filling 2^9 entries for codes of 7 bits was a good part of its cost).
// It reports false for lengths that are no prefix code (over-subscribed)
// or leave bit strings unused (incomplete). As Go's and zlib's decoders
// do, it accepts two incomplete codes: none at all, and a single code of
// one bit; bits that reach no code decode to kindBad.
func build(t []uint32, maxRoot uint, lens []uint8, kind []uint32) (root uint, ok bool) {
	var count [16]int
	for _, l := range lens {
		count[l]++
	}
	return buildCounted(t, maxRoot, lens, kind, &count)
}

// buildCounted is build given how many codes of each length lens holds
// (a dynamic block's reader counts them as it reads them, where a run of
// repeated lengths is one addition). It uses count up.
func buildCounted(t []uint32, maxRoot uint, lens []uint8, kind []uint32, count *[16]int) (root uint, ok bool) {
	count[0] = 0
	left, max, total := 1, 0, 0
	for l := 1; l < 16; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return 0, false
		}
		if count[l] > 0 {
			max = l
			total += count[l]
		}
	}
	root = min(maxRoot, uint(max))
	if left > 0 {
		if max > 1 || count[1] > 1 {
			return 0, false
		}
		for i := range 1 << root {
			t[i] = kindBad
		}
		if max == 0 {
			return root, true
		}
	}

	// Symbols in canonical order: by length, then by value.
	var start [16]int
	for l := 2; l < 16; l++ {
		start[l] = start[l-1] + count[l-1]
	}
	var sorted [288]uint16
	for s, l := range lens {
		if l != 0 {
			sorted[start[l]] = uint16(s)
			start[l]++
		}
	}

	rootMask := 1<<root - 1
	code, l := 0, 1 // the next code, MSB first, and its length
	sub, subBits := -1, 0
	next := 1 << root // where the next sub-table goes
	for i := range total {
		for count[l] == 0 { // count: the codes of each length still to place
			code <<= 1
			l++
		}
		s := sorted[i]
		rev := int(bits.Reverse16(uint16(code)) >> (16 - l))
		e := kind[s] | uint32(l)
		if uint(l) <= root {
			for j := rev; j <= rootMask; j += 1 << l {
				t[j] = e
			}
		} else {
			if rev&rootMask != sub {
				// A new sub-table: as deep as the codes that share this
				// root prefix need (they come next, in order).
				sub = rev & rootMask
				subBits = l - int(root)
				for avail := 1 << subBits; int(root)+subBits < max; subBits++ {
					if avail -= count[int(root)+subBits]; avail <= 0 {
						break
					}
					avail <<= 1
				}
				if next+1<<subBits > len(t) {
					return 0, false
				}
				t[sub] = kindSub | uint32(next)<<16 | uint32(subBits)<<8 | uint32(root)
				next += 1 << subBits
			}
			base := int(t[sub] >> 16)
			for j := rev >> root; j < 1<<subBits; j += 1 << (l - int(root)) {
				t[base+j] = e
			}
		}
		count[l]--
		code++
	}
	return root, true
}
