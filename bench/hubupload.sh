#!/usr/bin/env bash
# Benchmark of issue 7: hubupload uploads a 1 GiB file to the fake Hub on
# loopback (compared with sha256sum of the same file in the same run; the
# target is at most 1.5x) and a 2 GiB file (peak RSS; the target is under
# 100 MB). Needs about 3 GiB free in the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

run() {
	HUBUPLOAD_BENCH_MIB="$1" go test -run '^$' -bench '^BenchmarkUpload$' -benchtime="$2" ./internal/cli/hubupload/
}

echo "# 1 GiB: time against sha256sum"
out1="$(run 1024 3x)"
printf '%s\n' "$out1"
echo "# 2 GiB: peak RSS"
out2="$(run 2048 1x)"
printf '%s\n' "$out2"

field() { awk -v unit="$2" '/^BenchmarkUpload/ { for (i = 2; i <= NF; i++) if ($i == unit) print $(i - 1) }' <<<"$1"; }
ratio="$(field "$out1" upload/hash)"
rss="$(field "$out2" MB-peak-rss)"
if [ -z "$ratio" ] || [ -z "$rss" ]; then
	echo "hubupload.sh: error: no upload/hash ratio or peak RSS in the benchmark output" >&2
	exit 1
fi
echo "1 GiB upload/sha256sum time ratio: $ratio (target <= 1.5)"
echo "2 GiB upload peak RSS: $rss MB (target < 100)"
