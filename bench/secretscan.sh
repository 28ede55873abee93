#!/usr/bin/env bash
# Benchmark of issue 3: `secretscan dir` on a generated repository-like tree
# (Python, YAML, Markdown, notebooks with base64 images, a fake secret in
# about one file in fifty), against the raw cost of reading the same files
# (`find | xargs cat > /dev/null`), in the same run; then the peak memory of
# the scan on a tree four times smaller, which must be about the same. Then
# the same comparison on real code: the Go module cache's github.com tree
# (the modules this project builds with, test fixtures and all).
#   bench/secretscan.sh [MEGABYTES] [RUNS]     (default 200 MB, 5 runs)
#   TAGS=purego bench/secretscan.sh …          (the scalar prefilter arm64 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-200}"
runs="${2:-5}"
real_tree="$(go env GOMODCACHE)/github.com" # before HOME moves below

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build ${TAGS:+-tags "$TAGS"} -o "$work/secretscan" ./cmd/secretscan # as install.sh builds it
python3 bench/secretscan_gen.py "$work/big" "$mb" 1 >/dev/null
python3 bench/secretscan_gen.py "$work/small" "$(awk "BEGIN {print $mb / 4}")" 2 >/dev/null
bytes="$(du -sb "$work/big" | cut -f1)"
files="$(find "$work/big" -type f | wc -l)"

export HOME="$work/home" XDG_STATE_HOME="$work/home/.local/state"
scan="$work/secretscan --no-audit-log dir $work/big"
read_all="find $work/big -type f -print0 | xargs -0 cat > /dev/null"

# ratio JSON BYTES prints hyperfine's read and scan results and their ratio.
ratio() {
	python3 - "$1" "$2" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
size = int(sys.argv[2]) / 1e6
for name in ("read", "scan"):
    r = res[name]
    print(f"  {name:5s} mean {r['mean']:6.3f} s  (min {r['min']:.3f}, stddev {r['stddev']:.3f})  {size / r['mean']:7.1f} MB/s  user {r['user']:.3f} s")
print(f"  scan/read ratio {res['scan']['mean'] / res['read']['mean']:.2f}")
PY
}

echo "secretscan dir${TAGS:+ (-tags $TAGS)}: $files files, $((bytes >> 20)) MiB, $runs runs each, $(nproc) CPUs, $(go version | cut -d' ' -f3)"
hyperfine --warmup 1 --runs "$runs" -i --export-json "$work/h.json" -n read "$read_all" -n scan "$scan" >/dev/null 2>&1
ratio "$work/h.json" "$bytes"

if [ -d "$real_tree" ]; then
	rbytes="$(find "$real_tree" -type f -size -10M -print0 | xargs -0 cat | wc -c)"
	rfiles="$(find "$real_tree" -type f | wc -l)"
	echo "real code (\$GOMODCACHE/github.com): $rfiles files, $((rbytes >> 20)) MiB"
	hyperfine --warmup 1 --runs "$runs" -i --export-json "$work/r.json" -n read "find $real_tree -type f -print0 | xargs -0 cat > /dev/null" \
		-n scan "$work/secretscan --no-audit-log dir $real_tree" >/dev/null 2>&1
	ratio "$work/r.json" "$rbytes"
fi

peak() { /usr/bin/time -f %M "$work/secretscan" --no-audit-log dir "$1" 2>&1 >/dev/null | tail -1; }
echo "  peak RSS: $(peak "$work/small") KiB on $(( $(du -sb "$work/small" | cut -f1) >> 20 )) MiB, $(peak "$work/big") KiB on $((bytes >> 20)) MiB"
