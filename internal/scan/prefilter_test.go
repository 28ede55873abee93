package scan

import (
	"bytes"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// naive is the obvious definition the prefilter must agree with.
func naive(keywords []string, text []byte) [][3]int {
	var out [][3]int
	for start := range text {
		for k, kw := range keywords {
			if start+len(kw) <= len(text) && asciiFoldEqual(text[start:start+len(kw)], kw) {
				out = append(out, [3]int{k, start, start + len(kw)})
			}
		}
	}
	return out
}

// asciiFoldEqual compares ignoring the case of ASCII letters only.
func asciiFoldEqual(a []byte, b string) bool {
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func collect(p *prefilter, text []byte) [][3]int {
	var out [][3]int
	p.each(text, func(k, s, e int) { out = append(out, [3]int{k, s, e}) })
	return out
}

// paths returns the prefilter for keywords once per way it can run: with
// the vector filter when this machine has one, and one position at a time.
func paths(t testing.TB, keywords []string) map[string]*prefilter {
	vector := newPrefilter(keywords)
	scalar := newPrefilter(keywords)
	scalar.nibbles = nil
	out := map[string]*prefilter{"scalar": scalar}
	if vector.nibbles != nil {
		out["vector"] = vector
	}
	return out
}

func TestPrefilterUsesTheVectorFilterWhereThereIsOne(t *testing.T) {
	if !haveAVX2 {
		t.Skip("no AVX2 on this machine: the scalar path is the only one")
	}
	if newPrefilter([]string{"token", "hf_"}).nibbles == nil {
		t.Error("AVX2 is there but the vector filter is not used")
	}
	if newPrefilter([]string{"token", "ak"}).nibbles != nil {
		t.Error("a two-byte keyword must turn the vector filter off: it compares three bytes")
	}
}

func TestPrefilterVectorAndScalarAgreeWithNaive(t *testing.T) {
	rf, err := loadRuleFile()
	if err != nil {
		t.Fatal(err)
	}
	var keywords []string
	for _, s := range rf.Rules {
		keywords = append(keywords, s.Keywords...)
	}
	r := rand.New(rand.NewPCG(3, 4))
	noise := []byte("aZ_-. \n\"(tokSEC3")
	for n := range 400 {
		// Lengths around the 32-byte blocks and the 8 KiB chunks.
		size := n
		if n >= 200 {
			size = 8192 + r.IntN(200) - 100
		}
		text := make([]byte, 0, size+20)
		for len(text) < size {
			if r.IntN(6) == 0 {
				kw := []byte(keywords[r.IntN(len(keywords))])
				if r.IntN(2) == 0 {
					kw = bytes.ToUpper(kw)
				}
				text = append(text, kw...)
			} else {
				text = append(text, noise[r.IntN(len(noise))])
			}
		}
		want := naive(keywords, text)
		for name, p := range paths(t, keywords) {
			got := collect(p, text)
			sortHits(got)
			sortHits(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%s, %d bytes: prefilter %v\nnaive %v", name, len(text), got, want)
			}
		}
	}
}

func sortHits(h [][3]int) {
	slices.SortFunc(h, func(a, b [3]int) int {
		if a[1] != b[1] {
			return a[1] - b[1]
		}
		return a[0] - b[0]
	})
}

func TestPrefilterFindsEveryOccurrenceIgnoringCase(t *testing.T) {
	keywords := []string{"hf_", "ghp_", "gho_", "Secret", "secret_access_key", "sk-", "sk-ant-", "ak", "T3BlbkFJ"}
	text := []byte("HF_x ghp_ gho SECRET_ACCESS_KEY=1 sk-ant-api03 secretsecret Ak t3blbkfj é\x00ak")
	for name, p := range paths(t, keywords) {
		got, want := collect(p, text), naive(keywords, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: prefilter %v\nnaive     %v", name, got, want)
		}
	}
	want := naive(keywords, text)
	if len(want) < 10 {
		t.Fatalf("test text too weak: %d hits", len(want))
	}
}

func TestPrefilterReportsInStartOrder(t *testing.T) {
	p := newPrefilter([]string{"abc", "ab", "bc"})
	last := -1
	p.each([]byte("xxabcabcab"), func(k, s, e int) {
		if s < last {
			t.Errorf("start %d after %d", s, last)
		}
		last = s
	})
}

func TestPrefilterManyDistinctStarts(t *testing.T) {
	// More than 255 two-byte starts share the last bucket and still match.
	var keywords []string
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'k'; b++ {
			keywords = append(keywords, string([]rune{a, b, 'x'}))
		}
	}
	p := newPrefilter(keywords)
	text := []byte("zkx azx aax zzx")
	got, want := collect(p, text), naive(keywords, text)
	sortHits(got)
	sortHits(want)
	if !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("prefilter %v, naive %v", got, want)
	}
}

func FuzzPrefilter(f *testing.F) {
	f.Add([]byte("hf_ ghp_ SECRET token"), "ghp_,secret,tok")
	f.Fuzz(func(t *testing.T, text []byte, kws string) {
		var keywords []string
		for _, k := range strings.Split(kws, ",") {
			if len(k) >= 2 && len(keywords) < 40 {
				keywords = append(keywords, k)
			}
		}
		if len(keywords) == 0 {
			return
		}
		want := naive(keywords, text)
		sortHits(want)
		for name, p := range paths(t, keywords) {
			got := collect(p, text)
			sortHits(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: prefilter %v, naive %v", name, got, want)
			}
		}
	})
}

// BenchmarkPrefilter runs the prefilter over code, with the vector filter
// (where the machine has AVX2) and without.
func BenchmarkPrefilter(b *testing.B) {
	text := benchText(b)
	rf, err := loadRuleFile()
	if err != nil {
		b.Fatal(err)
	}
	var keywords []string
	for _, s := range rf.Rules {
		keywords = append(keywords, s.Keywords...)
	}
	for name, p := range paths(b, keywords) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				p.each(text, func(k, s, e int) {})
			}
		})
	}
}

// benchText is source code: PREFILTER_CORPUS names a file of real text, else
// a synthetic mix of code words (hit-heavier than real code).
func benchText(b *testing.B) []byte {
	if p := os.Getenv("PREFILTER_CORPUS"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	r := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	words := []string{"model", "import", "torch", "def", "return", "self", "config", "token", "the", "data", "as", "re", "se", "path"}
	for buf.Len() < 4<<20 {
		buf.WriteString(words[r.IntN(len(words))])
		buf.WriteByte(" \n"[r.IntN(2)])
	}
	return buf.Bytes()
}
