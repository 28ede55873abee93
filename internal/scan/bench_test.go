package scan

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// BenchmarkScanEvalSet measures the engine alone, one core, on the
// evaluation set's files with fresh values (notebooks, configs, code). See
// BENCHMARKS.md for the whole command against reading the files.
func BenchmarkScanEvalSet(b *testing.B) {
	e := newEngine(b, Config{})
	var frags []Fragment
	size := 0
	for _, ef := range expandTree(b, filepath.Join("testdata", "eval"), evalGen{rand.New(rand.NewPCG(1, 1))}) {
		frags = append(frags, Fragment{Path: ef.path, Content: []byte(ef.text)})
		size += len(ef.text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range frags {
			e.Scan(f)
		}
	}
}

// BenchmarkNew measures building the engine with the built-in rules, which
// every commit hook pays once.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
