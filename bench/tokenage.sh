#!/usr/bin/env bash
# Benchmark of the shell fast path: `tokenage warn` with six credentials set
# (one per provider, ledger already written) against an empty Go program,
# both static (CGO_ENABLED=0, as install.sh builds), in the same run. The
# result is the ratio of medians, since process start differs by machine
# (issue 18 target: <= 1.3). The commands alternate in ROUNDS rounds so that
# load from other work on the machine falls on all of them alike; the ratio
# is the median of the rounds' ratios. A Go program that only reads the
# ledger with package os runs in the same rounds: the floor of any Go
# program that reads a file (see BENCHMARKS.md). With REV, the tokenage of that git
# revision is measured in the same rounds (before/after). See BENCHMARKS.md.
#   bench/tokenage.sh [RUNS] [REV]      RUNS per command, default 1000
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000}"
rev="${2:-}"
rounds=10
command -v hyperfine >/dev/null || { echo "tokenage.sh: error: hyperfine not found; install it (apt-get install hyperfine)" >&2; exit 3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"
printf 'package main\n\nfunc main() {}\n' >"$work/empty/main.go"
printf 'module empty\n\ngo 1.26\n' >"$work/empty/go.mod"
(cd "$work/empty" && CGO_ENABLED=0 go build -o "$work/empty-static" .)
CGO_ENABLED=0 go build -o "$work/" ./cmd/tokenage ./cmd/tokenage-cli # status, below, runs tokenage-cli
# The floor for any Go program that does I/O: read the ledger with package
# os and nothing else (os's init, the poller, one open and read).
mkdir "$work/osread"
printf 'package main\n\nimport "os"\n\nfunc main() { os.ReadFile(os.Getenv("XDG_STATE_HOME") + "/tokenguard/ledger.json") }\n' >"$work/osread/main.go"
printf 'module osread\n\ngo 1.26\n' >"$work/osread/go.mod"
(cd "$work/osread" && CGO_ENABLED=0 go build -o "$work/os-read-ledger" .)
# Two more floors: a program that links what tokenage's start-up cannot do
# without (encoding/json for the ledger, fmt, time) and reads the ledger;
# and tokenage itself linked whole but leaving at the top of main, built
# through an overlay so the source tree is not touched. What tokenage warn
# costs above the latter is the work of warn.
mkdir "$work/jsonread"
printf 'package main\n\nimport (\n\t"encoding/json"\n\t"fmt"\n\t"os"\n\t"time"\n)\n\nfunc main() {\n\tb, _ := os.ReadFile(os.Getenv("XDG_STATE_HOME") + "/tokenguard/ledger.json")\n\tif len(os.Args) > 9 {\n\t\tjson.Unmarshal(b, new(any))\n\t\tfmt.Println(time.Now())\n\t}\n}\n' >"$work/jsonread/main.go"
printf 'module jsonread\n\ngo 1.26\n' >"$work/jsonread/go.mod"
(cd "$work/jsonread" && CGO_ENABLED=0 go build -o "$work/json-fmt-time-read" .)
printf 'package main\n\nimport (\n\t"os"\n\n\ttokenagecli "github.com/tokenguard/tokenguard/internal/cli/tokenage"\n)\n\nfunc main() {\n\tif len(os.Args) < 9 {\n\t\tos.Exit(0)\n\t}\n\tos.Exit(tokenagecli.Main(os.Args[1:], os.Stdout, os.Stderr))\n}\n' >"$work/linked.go"
printf '{"Replace": {"%s/cmd/tokenage-linked-only/main.go": "%s"}}' "$PWD" "$work/linked.go" >"$work/overlay.json"
CGO_ENABLED=0 go build -overlay "$work/overlay.json" -o "$work/tokenage-linked-only" ./cmd/tokenage-linked-only
cmds=("$work/empty-static" "$work/tokenage warn")
if [ -n "$rev" ]; then
	mkdir "$work/src"
	git archive "$rev" | tar -x -C "$work/src"
	mkdir "$work/$rev"
	(cd "$work/src" && CGO_ENABLED=0 go build -o "$work/$rev/" ./cmd/tokenage*) # with tokenage-cli where there is one
	ln -s "$work/$rev/tokenage" "$work/tokenage-$rev"
	cmds+=("$work/tokenage-$rev warn")
fi
cmds+=("$work/os-read-ledger" "$work/json-fmt-time-read" "$work/tokenage-linked-only")

# A hermetic home with made-up values of the right shapes (never real tokens).
export HOME="$work/home" XDG_STATE_HOME="$work/home/.local/state" XDG_CONFIG_HOME="$work/home/.config"
export XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME"
export HF_TOKEN=hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
export MODAL_TOKEN_ID=ak-bbbbbbbbbbbbbbbbbbbbbb
export MODAL_TOKEN_SECRET=as-cccccccccccccccccccccc
export GH_TOKEN=ghp_dddddddddddddddddddddddddddddddddddd
export WANDB_API_KEY=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
export OPENAI_API_KEY=sk-proj-ffffffffffffffffffffT3BlbkFJgggggggggggggggggggg
export ANTHROPIC_API_KEY=sk-ant-api03-hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhAA
"$work/tokenage" warn # records the six in the ledger: the measured runs are the steady state
test "$("$work/tokenage" status -f json | grep -c '"in_use": true')" = 6
cd "$HOME" # no .tokenguard.toml above: the common case of a new shell

echo "tokenage warn, 6 credentials, $runs runs each in $rounds rounds, $(nproc) CPUs, $(go version | cut -d' ' -f3)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < rounds; i++)); do
	hyperfine -N --warmup 10 --runs "$((runs / rounds))" --export-json "$work/r$i.json" "${cmds[@]}" >/dev/null 2>&1
done
python3 - "$work" "$rounds" "$(stat -c %s "$work/empty-static")" "$(stat -c %s "$work/tokenage")" <<'PY'
import json, statistics as st, sys
work, rounds = sys.argv[1], int(sys.argv[2])
size = {"empty-static": int(sys.argv[3]), "tokenage": int(sys.argv[4])}
res = [json.load(open(f"{work}/r{i}.json"))["results"] for i in range(rounds)]
name = lambda r: r["command"].split("/")[-1].replace(" warn", "")
for k in range(len(res[0])):
    times = [t for rr in res for t in rr[k]["times"]]
    cpu = st.mean(rr[k]["user"] + rr[k]["system"] for rr in res)
    ratio = st.median(rr[k]["median"] / rr[0]["median"] for rr in res)
    cpur = st.mean(rr[k]["user"] + rr[k]["system"] for rr in res) / st.mean(rr[0]["user"] + rr[0]["system"] for rr in res)
    mib = f"{size[name(res[0][k])] / 2**20:4.1f} MiB" if name(res[0][k]) in size else "        "
    line = f"  {name(res[0][k]):22s} {mib}  median {st.median(times) * 1000:5.2f} ms  (min {min(times) * 1000:.2f})  cpu {cpu * 1000:5.2f} ms"
    if k:
        line += f"   {ratio:.2f}x empty (cpu {cpur:.2f}x)"
    print(line)
ratio = st.median(rr[1]["median"] / rr[0]["median"] for rr in res)
low = min(t for rr in res for t in rr[1]["times"]) / min(t for rr in res for t in rr[0]["times"])
print(f"tokenage warn / empty static Go binary: {ratio:.2f} (target <= 1.30: {'met' if ratio <= 1.30 else 'NOT met'}); of the minimum times {low:.2f}")
floor = lambda k: st.median(rr[k]["median"] / rr[0]["median"] for rr in res)
print(f"floors / empty: reading the ledger with package os {floor(-3):.2f}; that with encoding/json, fmt and time linked {floor(-2):.2f}; tokenage linked whole, leaving at once {floor(-1):.2f}")
print(f"tokenage warn / tokenage leaving at once: {ratio / floor(-1):.2f} (the work of warn)")
PY
# Page faults per start (each is a page of code, data or heap touched for
# the first time). They vary by tens between batches of runs (how many
# threads the runtime starts depends on timing), so the commands alternate
# in 5 batches of 40 runs and the median of the batches is shown.
if command -v perf >/dev/null && perf stat -x, -e page-faults true >/dev/null 2>&1; then
	line="page faults per run (perf stat, median of 5 batches of 40):"
	for c in "${cmds[@]}"; do : >"$work/pf-$(basename "${c%% *}")"; done
	for ((i = 0; i < 5; i++)); do
		for c in "${cmds[@]}"; do
			perf stat -x, -e page-faults -r 40 $c 2>&1 >/dev/null | cut -d, -f1 >>"$work/pf-$(basename "${c%% *}")"
		done
	done
	for c in "${cmds[@]}"; do
		line+=" $(basename "${c%% *}") $(sort -n "$work/pf-$(basename "${c%% *}")" | sed -n 3p);"
	done
	echo "${line%;}"
fi
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
