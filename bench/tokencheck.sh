#!/usr/bin/env bash
# Benchmark of issue 2: tokencheck checks six providers, each of whose fakes
# answers after 200 ms, in parallel. Prints the benchmark lines and the ratio
# of six checks to one (the target is well under 2).
set -euo pipefail
cd "$(dirname "$0")/.."

out="$(go test -run '^$' -bench 'CheckOne|CheckSix|ParallelRatio' -benchtime=5x ./internal/token/)"
printf '%s\n' "$out"

ratio="$(printf '%s\n' "$out" | awk '/^BenchmarkParallelRatio/ { for (i = 2; i <= NF; i++) if ($i == "six/one") print $(i - 1) }')"
if [ -z "$ratio" ]; then
	echo "tokencheck.sh: error: no six/one ratio in the benchmark output" >&2
	exit 1
fi
echo "six/one ratio: $ratio"
