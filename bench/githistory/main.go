// Command githistory writes a deterministic, realistic git history for the
// secretscan benchmarks through `git fast-import`: tens of thousands of
// commits, topic branches merged back (some with conflict resolutions),
// renames, large text files edited often, binaries, notebooks, and fake
// secrets planted at known commits. It prints nothing on success; the
// planted secrets are listed in DIR/planted.txt as
// "<commit> <path> <last 4 characters>", one a line, for the benchmark to
// check that each is found and attributed to that commit.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	commits := flag.Int("commits", 20000, "commits on the main line, merges included")
	dir := flag.String("dir", "", "directory to create the repository in (must not exist)")
	seed := flag.Uint64("seed", 1, "random seed")
	bigKB := flag.Int("big-kb", 0, "add data/big.csv of about this many KiB, edited every -big-every commits (0: none)")
	bigEvery := flag.Int("big-every", 50, "commits between edits of data/big.csv")
	deep := flag.Int("deep", 0, "add this many source files three directories deep (internal/dNN/dNN/dNN/), the shape of large code bases such as terraform's")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "githistory: error: -dir is required")
		os.Exit(2)
	}
	if err := run(*dir, *commits, *seed, *bigKB, *bigEvery, *deep); err != nil {
		fmt.Fprintln(os.Stderr, "githistory: error:", err)
		os.Exit(1)
	}
}

var words = strings.Fields(`model train loss epoch batch size learning rate optimizer adam
	weight decay dataset tokenizer vocab layer attention head hidden dropout eval metric accuracy
	checkpoint save load config path device cuda step warmup schedule gradient clip norm scale
	return import from def class self if else for in range len print log info debug value`)

type gen struct {
	r       *rand.Rand
	w       *bufio.Writer
	mark    int
	time    int64
	planted []planted
	// bigLines and bigEvery shape the one large, often-edited file
	// (a CSV, a lock file) of ML repositories; 0 lines: none.
	bigLines, bigEvery int
	// deep source files spread over nested directories: each edit then
	// changes four levels of trees.
	deep int
}

type planted struct {
	mark   int
	path   string
	secret string
}

// state is a branch's files.
type state map[string][]byte

func (s state) clone() state {
	c := make(state, len(s))
	for k, v := range s {
		c[k] = v
	}
	return c
}

func run(dir string, n int, seed uint64, bigKB, bigEvery, deep int) error {
	// fast-import runs in dir, so a relative marks path would not resolve.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("git init: %v: %s", err, out)
	}
	// Level-1 zlib: fast-import spent most of its time compressing, and the
	// benchmark repacks everything afterwards with -F, which recompresses.
	cmd := exec.Command("git", "-c", "core.compression=1", "-c", "pack.compression=1", "fast-import", "--quiet", "--export-marks="+filepath.Join(dir, ".git", "marks"))
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, 2)), w: bufio.NewWriterSize(in, 1<<20), time: 1700000000}
	// A generated line averages about 45 bytes.
	g.bigLines, g.bigEvery = bigKB*1024/45, max(1, bigEvery)
	g.deep = deep
	g.history(n)
	if err := g.w.Flush(); err != nil {
		return err
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	return g.writePlanted(dir)
}

func (g *gen) history(n int) {
	main := state{}
	// The initial tree: ~300 source files, 6 large text files, notebooks,
	// binaries.
	for i := range 300 {
		main[fmt.Sprintf("src/pkg%02d/mod%03d.py", i%20, i)] = g.text(20 + g.r.IntN(120))
	}
	for i := range 6 {
		main[fmt.Sprintf("data/large%d.txt", i)] = g.text(2000)
	}
	for i := range 10 {
		main[fmt.Sprintf("notebooks/nb%02d.ipynb", i)] = g.notebook("")
	}
	for i := range 8 {
		main[fmt.Sprintf("assets/blob%d.bin", i)] = g.binary(20000)
	}
	if g.bigLines > 0 {
		main["data/big.csv"] = g.text(g.bigLines)
	}
	for i := range g.deep {
		main[fmt.Sprintf("internal/d%02d/d%02d/d%02d/f%05d.py", i%17, i/17%13, i/221%11, i)] = g.text(20 + g.r.IntN(120))
	}
	head := g.commit("refs/heads/main", "initial import", 0, 0, nil, main, nil)
	// Plants, in order, each at the first commit index past (k+1)*n/10.
	kinds := []string{"edit", "large", "notebook", "merge", "topic", "readd", "edit", "rename"}
	nextPlant := 0
	var readd struct {
		path, secret string
		at           int
	}
	for i := 1; i < n; {
		kind := ""
		if nextPlant < len(kinds) && i >= (nextPlant+1)*n/10 {
			kind = kinds[nextPlant]
			nextPlant++
		}
		switch {
		case kind == "merge" || kind == "topic" || kind == "" && i%40 == 0:
			// A topic branch of 2-5 commits, merged back.
			topic := main.clone()
			var tmark int
			from := head
			k := 2 + g.r.IntN(4)
			for j := range k {
				ch := g.edits(topic, 1+g.r.IntN(3), "src/pkg1")
				secret := ""
				if kind == "topic" && j == 1 {
					p, s := g.plant(topic, "src/pkg11/")
					ch[p] = topic[p]
					secret = s
					tmark = g.commit("refs/heads/topic", "topic work", from, 0, nil, topic, ch)
					g.planted = append(g.planted, planted{tmark, p, s})
				} else {
					tmark = g.commit("refs/heads/topic", "topic work", from, 0, nil, topic, ch)
				}
				_ = secret
				from = tmark
			}
			// Main moves on meanwhile, elsewhere.
			ch := g.edits(main, 2, "src/pkg0")
			conflict := ""
			if kind == "merge" {
				// Both sides edit one file; the resolution adds a line.
				conflict = "src/pkg01/mod001.py"
				main[conflict] = append(slices.Clone(main[conflict]), "main side\n"...)
				topic[conflict] = append(slices.Clone(topic[conflict]), "topic side\n"...)
				ch[conflict] = main[conflict]
			}
			head = g.commit("refs/heads/main", "main work", head, 0, nil, main, ch)
			i++
			// The merge: main's tree plus the topic's changes.
			merged := main.clone()
			mch := map[string][]byte{}
			for p, b := range topic {
				if !bytes.Equal(main[p], b) {
					merged[p] = b
					mch[p] = b
				}
			}
			var del []string
			for p := range main {
				if _, ok := topic[p]; !ok {
					del = append(del, p)
					delete(merged, p)
				}
			}
			if conflict != "" {
				secret := g.secret()
				res := append(slices.Clone(main[conflict]), "topic side\n"...)
				res = append(res, fmt.Sprintf("API_TOKEN = \"%s\"\n", secret)...)
				merged[conflict] = res
				mch[conflict] = res
				head = g.commit("refs/heads/main", "merge topic", head, tmark, del, merged, mch)
				g.planted = append(g.planted, planted{head, conflict, secret})
			} else {
				head = g.commit("refs/heads/main", "merge topic", head, tmark, del, merged, mch)
			}
			main = merged
			i++
			continue
		case kind == "rename":
			// Rename a file with an earlier planted secret, and edit it:
			// nothing new to report.
			old := g.planted[0].path
			nw := strings.Replace(old, "src/", "lib/", 1)
			b := append(slices.Clone(main[old]), "renamed\n"...)
			delete(main, old)
			main[nw] = b
			head = g.commit("refs/heads/main", "move module", head, 0, []string{old}, main, map[string][]byte{nw: b})
		case kind == "readd":
			p, s := g.plant(main, "src/pkg02/")
			head = g.commit("refs/heads/main", "add key", head, 0, nil, main, map[string][]byte{p: main[p]})
			g.planted = append(g.planted, planted{head, p, s})
			readd.path, readd.secret, readd.at = p, s, i
		case kind != "":
			var p, s string
			switch kind {
			case "large":
				p = fmt.Sprintf("data/large%d.txt", g.r.IntN(6))
				s = g.secret()
				lines := bytes.SplitAfter(main[p], []byte("\n"))
				at := len(lines) / 2
				lines = slices.Insert(lines, at, []byte(fmt.Sprintf("hf_token: %s\n", s)))
				main[p] = bytes.Join(lines, nil)
			case "notebook":
				p = "notebooks/nb03.ipynb"
				s = g.secret()
				main[p] = g.notebook(s)
			default:
				p, s = g.plant(main, "src/pkg03/")
			}
			head = g.commit("refs/heads/main", "work", head, 0, nil, main, map[string][]byte{p: main[p]})
			g.planted = append(g.planted, planted{head, p, s})
		default:
			ch := g.edits(main, 1+g.r.IntN(3), "")
			if readd.path != "" && i == readd.at+50 {
				// Remove the key, and put it back 50 commits on.
				b := main[readd.path]
				main[readd.path] = bytes.ReplaceAll(b, []byte(readd.secret), []byte("REDACTED"))
				ch[readd.path] = main[readd.path]
			}
			if readd.path != "" && i == readd.at+100 {
				main[readd.path] = bytes.ReplaceAll(main[readd.path], []byte("REDACTED"), []byte(readd.secret))
				ch[readd.path] = main[readd.path]
			}
			if g.bigLines > 0 && i%g.bigEvery == 0 {
				p := "data/big.csv"
				lines := bytes.SplitAfter(main[p], []byte("\n"))
				for range 1 + g.r.IntN(4) {
					lines[g.r.IntN(len(lines))] = g.line()
				}
				main[p] = bytes.Join(lines, nil)
				ch[p] = main[p]
			}
			if i%500 == 0 {
				p := fmt.Sprintf("assets/blob%d.bin", g.r.IntN(8))
				main[p] = g.binary(20000)
				ch[p] = main[p]
			}
			head = g.commit("refs/heads/main", "work", head, 0, nil, main, ch)
		}
		i++
	}
	fmt.Fprintf(g.w, "reset refs/heads/topic\nfrom 0000000000000000000000000000000000000000\n\n")
}

// edits changes a few lines in count files (a large file one time in eight).
func (g *gen) edits(s state, count int, prefix string) map[string][]byte {
	ch := map[string][]byte{}
	keys := make([]string, 0, len(s))
	for k := range s {
		if strings.HasSuffix(k, ".py") || strings.HasSuffix(k, ".txt") {
			if prefix == "" || strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	for range count {
		p := keys[g.r.IntN(len(keys))]
		if g.r.IntN(8) == 0 {
			p = fmt.Sprintf("data/large%d.txt", g.r.IntN(6))
		}
		lines := bytes.SplitAfter(s[p], []byte("\n"))
		for range 1 + g.r.IntN(4) {
			at := g.r.IntN(len(lines))
			switch g.r.IntN(3) {
			case 0:
				lines = slices.Insert(lines, at, g.line())
			case 1:
				lines[at] = g.line()
			default:
				if len(lines) > 5 {
					lines = slices.Delete(lines, at, at+1)
				}
			}
		}
		s[p] = bytes.Join(lines, nil)
		ch[p] = s[p]
	}
	return ch
}

// plant adds a token assignment to a file under prefix.
func (g *gen) plant(s state, prefix string) (string, string) {
	var keys []string
	for k := range s {
		if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, ".py") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	p := keys[g.r.IntN(len(keys))]
	secret := g.secret()
	lines := bytes.SplitAfter(s[p], []byte("\n"))
	lines = slices.Insert(lines, len(lines)/2, []byte(fmt.Sprintf("HF_TOKEN = \"%s\"\n", secret)))
	s[p] = bytes.Join(lines, nil)
	return p, secret
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// secret is a fake, format-correct Hugging Face token.
func (g *gen) secret() string {
	b := []byte("hf_")
	for range 34 {
		b = append(b, alnum[g.r.IntN(len(alnum))])
	}
	return string(b)
}

func (g *gen) line() []byte {
	var b bytes.Buffer
	b.WriteString(strings.Repeat("    ", g.r.IntN(3)))
	for j := range 3 + g.r.IntN(8) {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[g.r.IntN(len(words))])
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func (g *gen) text(lines int) []byte {
	var b bytes.Buffer
	for range lines {
		b.Write(g.line())
	}
	return b.Bytes()
}

func (g *gen) binary(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	b[0] = 0
	return b
}

// notebook is a small .ipynb; a secret goes inside a code cell's JSON string.
func (g *gen) notebook(secret string) []byte {
	src := `"import torch\n"`
	if secret != "" {
		src = fmt.Sprintf(`"from huggingface_hub import login\n", "login(token=\"%s\")\n"`, secret)
	}
	return []byte(fmt.Sprintf(`{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [%s]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
`, src))
}

// commit writes one commit with the changed files inline; it returns the
// commit's mark.
func (g *gen) commit(ref, msg string, from, merge int, del []string, _ state, changed map[string][]byte) int {
	g.mark++
	g.time += 60 + int64(g.r.IntN(3600))
	fmt.Fprintf(g.w, "commit %s\nmark :%d\n", ref, g.mark)
	fmt.Fprintf(g.w, "author Bench Author <bench@example.com> %d +0000\n", g.time)
	fmt.Fprintf(g.w, "committer Bench Author <bench@example.com> %d +0000\n", g.time)
	fmt.Fprintf(g.w, "data %d\n%s\n", len(msg), msg)
	if from > 0 {
		fmt.Fprintf(g.w, "from :%d\n", from)
	}
	if merge > 0 {
		fmt.Fprintf(g.w, "merge :%d\n", merge)
	}
	if from == 0 && merge == 0 && g.mark > 1 {
		fmt.Fprintf(g.w, "deleteall\n")
	}
	slices.Sort(del)
	for _, p := range del {
		fmt.Fprintf(g.w, "D %s\n", p)
	}
	paths := make([]string, 0, len(changed))
	for p := range changed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		b := changed[p]
		fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n", p, len(b))
		g.w.Write(b)
		g.w.WriteByte('\n')
	}
	g.w.WriteByte('\n')
	return g.mark
}

func (g *gen) writePlanted(dir string) error {
	marks, err := os.ReadFile(filepath.Join(dir, ".git", "marks"))
	if err != nil {
		return err
	}
	hashes := map[string]string{}
	for _, l := range strings.Split(string(marks), "\n") {
		if m, h, ok := strings.Cut(l, " "); ok {
			hashes[m] = h
		}
	}
	var b strings.Builder
	for _, p := range g.planted {
		fmt.Fprintf(&b, "%s %s %s\n", hashes[fmt.Sprintf(":%d", p.mark)], p.path, p.secret[len(p.secret)-4:])
	}
	return os.WriteFile(filepath.Join(dir, "planted.txt"), []byte(b.String()), 0o644)
}
