package gitrepo

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// syntheticIndex builds a version 2 index of n random names, entry i at
// offset i+12, as git would write it (checksums left zero: find does not
// read them).
func syntheticIndex(t *testing.T, rng *rand.Rand, n int) (*packIndex, []Hash) {
	t.Helper()
	names := make([]Hash, n)
	for i := range names {
		for j := range names[i] {
			names[i][j] = byte(rng.UintN(256))
		}
	}
	slices.SortFunc(names, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
	names = slices.Compact(names)
	var b bytes.Buffer
	b.WriteString("\xfftOc")
	binary.Write(&b, binary.BigEndian, uint32(2))
	for first := range 256 {
		c := sort.Search(len(names), func(i int) bool { return int(names[i][0]) > first })
		binary.Write(&b, binary.BigEndian, uint32(c))
	}
	for _, h := range names {
		b.Write(h[:])
	}
	b.Write(make([]byte, 4*len(names))) // CRCs
	for i := range names {
		binary.Write(&b, binary.BigEndian, uint32(i+12))
	}
	b.Write(make([]byte, 40))
	ix, err := parsePackIndex(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return ix, names
}

// find gallops from an interpolated guess: it must find exactly what a
// plain binary search finds, present or not, in sparse and crowded
// buckets and at their edges.
func TestFindAgreesWithBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 20, 5000, 300000} {
		ix, names := syntheticIndex(t, rng, n)
		want := func(h Hash) (int64, bool) {
			i, ok := slices.BinarySearchFunc(names, h, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
			return int64(i + 12), ok
		}
		probes := slices.Clone(names)
		for _, h := range names[:min(len(names), 20000)] {
			near := h
			near[19] ^= 1 // absent, next to a present name
			probes = append(probes, near)
			first := h
			clear(first[1:]) // the lowest name of its bucket
			probes = append(probes, first)
			last := h
			for j := 1; j < 20; j++ {
				last[j] = 0xff
			}
			probes = append(probes, last)
		}
		for _, h := range probes {
			off, ok := ix.find(h)
			woff, wok := want(h)
			if ok != wok || ok && off != woff {
				t.Fatalf("%d names: find(%x) = %d, %v; binary search %d, %v", len(names), h, off, ok, woff, wok)
			}
		}
	}
}

// locate remembers where the last objects were: what it answers, from
// memory or not, must be what the indexes say, whichever names share a
// slot and in whichever order they are asked for, and the zero name (an
// empty slot's) is found nowhere.
func TestLocateRemembers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ix0, names0 := syntheticIndex(t, rng, 3000)
	ix1, names1 := syntheticIndex(t, rng, 3000)
	p := &packs{files: []*pack{{idx: ix0}, {idx: ix1}}}
	want := func(h Hash) (int, int64, bool) {
		for i, f := range p.files {
			if off, ok := f.idx.find(h); ok {
				return i, off, true
			}
		}
		return 0, 0, false
	}
	if _, _, ok := p.locate(Hash{}); ok {
		t.Fatal("the zero name was found in empty memory")
	}
	probes := append(slices.Clone(names0), names1...)
	for _, h := range probes[:1000] {
		h[19] ^= 1 // absent, in the same slot as a present name
		probes = append(probes, h)
	}
	probes = append(probes, Hash{})
	for range 20 {
		rng.Shuffle(len(probes), func(i, j int) { probes[i], probes[j] = probes[j], probes[i] })
		for k, h := range probes {
			// Ask again at once, and after a few others.
			for _, q := range []Hash{h, h, probes[max(0, k-3)]} {
				pi, off, ok := p.locate(q)
				wpi, woff, wok := want(q)
				if ok != wok || ok && (pi != wpi || off != woff) {
					t.Fatalf("locate(%x) = %d, %d, %v; the indexes say %d, %d, %v", q, pi, off, ok, wpi, woff, wok)
				}
			}
		}
	}
}
