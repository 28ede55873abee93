package scan

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkScanEvalSet measures the engine alone, one core, on the
// evaluation set's files with fresh values (notebooks, configs, code). See
// BENCHMARKS.md for the whole command against reading the files.
func BenchmarkScanEvalSet(b *testing.B) {
	e := newEngine(b, Config{})
	g := evalGen{rand.New(rand.NewPCG(1, 1))}
	var frags []Fragment
	size := 0
	root := filepath.Join("testdata", "eval")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		t := &testing.T{}
		text, _, _ := expandEval(t, g, rel, string(raw))
		frags = append(frags, Fragment{Path: rel, Content: []byte(text)})
		size += len(text)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range frags {
			e.Scan(f)
		}
	}
}
