#!/usr/bin/env bash
# Benchmark of the shell fast path: `tokenage warn` with six credentials set
# (one per provider, ledger already written), median wall time including
# process start, side by side with /bin/true in the same run. Two builds:
# the default one (cgo on when a C compiler is present: kong imports os/user,
# which then links libc dynamically) and CGO_ENABLED=0 (static).
# Uses hyperfine when installed, else a plain timing loop. See BENCHMARKS.md.
#   bench/tokenage.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/tokenage" ./cmd/tokenage
CGO_ENABLED=0 go build -o "$work/tokenage-static" ./cmd/tokenage

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

echo "tokenage warn, 6 credentials, $runs runs each, $(nproc) CPUs, $(go version | cut -d' ' -f3)"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 50 --runs "$runs" --export-json "$work/h.json" \
		/bin/true "$work/tokenage warn" "$work/tokenage-static warn" >/dev/null 2>&1
	python3 - "$work/h.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
true = res[0]["median"] * 1000
for r in res:
    name = r["command"].split("/")[-1]
    med = r["median"] * 1000
    extra = "" if name == "true" else f"   {med - true:+.2f} ms over true"
    print(f"  {name:22s} median {med:5.2f} ms  (min {r['min']*1000:.2f}){extra}")
PY
	# The whole cost in a shell: an interactive bash with the eval line (which
	# runs tokenage init, then tokenage warn) against one without it.
	# shellcheck disable=SC2016 # the rc file expands them, not this script
	printf 'export PATH="%s:$PATH"\neval "$(tokenage init bash)"\n' "$work" >"$work/with.bashrc"
	: >"$work/without.bashrc"
	hyperfine -N --warmup 20 --runs "$((runs / 4))" --export-json "$work/s.json" \
		"bash --rcfile $work/without.bashrc -i -c exit" "bash --rcfile $work/with.bashrc -i -c exit" >/dev/null 2>&1
	python3 - "$work/s.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
a, b = (r["median"] * 1000 for r in res)
print(f"  bash -i, no rc line    median {a:5.2f} ms")
print(f"  bash -i, eval line     median {b:5.2f} ms   {b - a:+.2f} ms for tokenage init + warn")
PY
else
	# Fallback: alternate the two commands, time each run with date +%s%N.
	t=(); w=(); s=()
	for ((i = 0; i < runs; i++)); do
		a=$(date +%s%N); /bin/true; b=$(date +%s%N); "$work/tokenage" warn; c=$(date +%s%N)
		"$work/tokenage-static" warn; d=$(date +%s%N)
		t+=($((b - a))); w+=($((c - b))); s+=($((d - c)))
	done
	median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]/1e6}'; }
	echo "  true                   median $(median "${t[@]}") ms (each includes a date call)"
	echo "  tokenage warn          median $(median "${w[@]}") ms"
	echo "  tokenage-static warn   median $(median "${s[@]}") ms"
fi
