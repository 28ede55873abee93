package inflate

import (
	"bytes"
	"compress/zlib"
	"math/rand"
	"testing"
)

func TestQuick(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, lvl := range []int{-2, 0, 1, 6, 9} {
		for _, n := range []int{0, 1, 5, 100, 1000, 70000, 300000} {
			data := make([]byte, n)
			for i := range data {
				if r.Intn(10) < 7 && i > 10 { data[i] = data[i-1-r.Intn(10)] } else { data[i] = byte('a' + r.Intn(20)) }
			}
			var z bytes.Buffer
			w, _ := zlib.NewWriterLevel(&z, lvl)
			w.Write(data); w.Close()
			z.WriteString("trailing")
			got := make([]byte, n)
			c, err := Zlib(got, z.Bytes())
			if err != nil || !bytes.Equal(got, data) || c != z.Len()-8 {
				t.Fatalf("lvl %d n %d: err %v eq %v c %d/%d", lvl, n, err, bytes.Equal(got, data), c, z.Len()-8)
			}
		}
	}
}
