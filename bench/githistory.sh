#!/usr/bin/env bash
# secretscan on git, timed side by side with git itself in one run:
#
#   1. `secretscan history --all` against `git log -p --all --full-history -U0`
#      on a generated history (bench/githistory: merges, renames, large
#      files, binaries, notebooks, planted secrets) and on this repository;
#      every planted secret must be found at the commit that planted it.
#   2. `secretscan staged` on a 10-file change in a repository of 5,000
#      files, against `git diff --cached --stat`.
#
# Usage: bench/githistory.sh [COMMITS]   (default 20000; BENCH_DIR keeps the
# generated repositories between runs; RUNS sets the repetitions, default 3;
# BEFORE=REV also builds secretscan at REV and times it in the same runs, so
# a change is measured before and after side by side; GEN_FLAGS passes flags
# to the generator, e.g. GEN_FLAGS="-big-kb 1600 -big-every 50" for one large
# text file edited every 50 commits; ONECPU=1 also times secretscan with
# GOMAXPROCS=1, for the speed-up from one core to two)
set -euo pipefail

commits=${1:-20000}
runs=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
(cd "$root" && CGO_ENABLED=0 go build -o "$work/secretscan" ./cmd/secretscan && go build -o "$work/githistory" ./bench/githistory)
ss="$work/secretscan"
before=${BEFORE:-}
if [ -n "$before" ]; then
	rm -rf "$work/before-src" && mkdir -p "$work/before-src"
	git -C "$root" archive "$before" | tar -x -C "$work/before-src"
	(cd "$work/before-src" && CGO_ENABLED=0 go build -o "$work/secretscan-before" ./cmd/secretscan)
fi

# Hermetic git and state, after the build (which needs the real HOME).
export XDG_STATE_HOME="$work/state" GIT_CONFIG_NOSYSTEM=1 HOME="$work/home"
mkdir -p "$HOME"
git config --global user.name Bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

# time_of CMD...: runs CMD with stdout discarded and prints "wall user rss_kb".
time_of() {
	/usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
	cat "$work/time" | tail -1
}

# median of the first field, and of the other fields at the same run.
median() { sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

history_bench() { # NAME DIR
	local name=$1 dir=$2 g s
	: >"$work/git.times"
	: >"$work/ss.times"
	: >"$work/before.times"
	: >"$work/one.times"
	for _ in $(seq "$runs"); do
		(cd "$dir" && time_of git log -p --all --full-history -U0) >>"$work/git.times"
		(cd "$dir" && time_of "$ss" history --all -f json) >>"$work/ss.times"
		if [ -n "$before" ]; then
			(cd "$dir" && time_of "$work/secretscan-before" history --all -f json) >>"$work/before.times"
		fi
		if [ -n "${ONECPU:-}" ]; then
			(cd "$dir" && GOMAXPROCS=1 time_of "$ss" history --all -f json) >>"$work/one.times"
		fi
	done
	g=$(median <"$work/git.times")
	s=$(median <"$work/ss.times")
	local commits_n
	commits_n=$(git -C "$dir" rev-list --all | wc -l)
	awk -v n="$name" -v c="$commits_n" -v g="$g" -v s="$s" 'BEGIN {
		split(g, G, " "); split(s, S, " ")
		printf "%-22s %7d commits  git log -p %6.2f s (cpu %6.2f s, peak %4d MiB)  secretscan %6.2f s (cpu %6.2f s, peak %4d MiB)  ratio %.2f\n",
			n, c, G[1], G[2], G[3] / 1024, S[1], S[2], S[3] / 1024, (G[1] > 0 ? S[1] / G[1] : 0)
	}'
	if [ -n "$before" ]; then
		awk -v n="$name" -v g="$g" -v b="$(median <"$work/before.times")" 'BEGIN {
			split(g, G, " "); split(b, B, " ")
			printf "%-22s before (%s)  secretscan %6.2f s (cpu %6.2f s, peak %4d MiB)  ratio %.2f\n",
				n, ENVIRON["BEFORE"], B[1], B[2], B[3] / 1024, (G[1] > 0 ? B[1] / G[1] : 0)
		}'
	fi
	if [ -n "${ONECPU:-}" ]; then
		awk -v n="$name" -v s="$s" -v o="$(median <"$work/one.times")" 'BEGIN {
			split(s, S, " "); split(o, O, " ")
			printf "%-22s GOMAXPROCS=1  secretscan %6.2f s (cpu %6.2f s, peak %4d MiB)  two cores %.2fx faster\n",
				n, O[1], O[2], O[3] / 1024, (S[1] > 0 ? O[1] / S[1] : 0)
		}'
	fi
}

repo="$work/history-$commits$(echo "${GEN_FLAGS:-}" | tr -d ' -')"
if [ ! -d "$repo" ]; then
	echo "generating $commits commits in $repo ..." >&2
	# shellcheck disable=SC2086 # GEN_FLAGS is a list of flags
	"$work/githistory" -commits "$commits" -dir "$repo" ${GEN_FLAGS:-}
	git -C "$repo" repack -adFq --window=50 --depth=50
fi

echo "== secretscan history --all vs git log -p --all --full-history -U0 (median of $runs)"
history_bench "generated" "$repo"
history_bench "this repository" "$root"

# Every planted secret found, at its commit.
(cd "$repo" && "$ss" history --all -f json >"$work/found.json" 2>/dev/null || true)
missing=0
while read -r commit path last4; do
	if ! jq -e --arg c "$commit" --arg p "$path" --arg l "$last4" \
		'any(.findings[]; .commit == $c and .file == $p and (.secret | endswith($l)))' "$work/found.json" >/dev/null; then
		echo "MISSED: $path at $commit (…$last4)"
		missing=$((missing + 1))
	fi
done <"$repo/planted.txt"
planted=$(wc -l <"$repo/planted.txt")
echo "planted secrets found at the right commit: $((planted - missing))/$planted"

# Staged: 5,000 files, a 10-file change.
srepo="$work/staged-5000"
if [ ! -d "$srepo" ]; then
	mkdir -p "$srepo"
	git -C "$srepo" init -q
	for i in $(seq 0 4999); do
		d="$srepo/pkg$((i % 50))"
		mkdir -p "$d"
		printf 'import os\n\ndef f%d(x):\n    return x * %d\n' "$i" "$i" >"$d/mod$i.py"
	done
	git -C "$srepo" add -A
	git -C "$srepo" commit -qm base
	for i in $(seq 0 9); do
		printf 'def g(y):\n    return y + %d\n' "$i" >>"$srepo/pkg$i/mod$i.py"
	done
	git -C "$srepo" add -A
fi
# Two floors beside it: an empty static Go program, and secretscan linked
# whole but leaving at the top of main (built through an overlay, the
# source tree untouched): what staged costs above the latter is its work.
mkdir -p "$work/empty"
printf 'package main\n\nfunc main() {}\n' >"$work/empty/main.go"
printf 'module empty\n\ngo 1.26\n' >"$work/empty/go.mod"
(cd "$work/empty" && CGO_ENABLED=0 go build -o "$work/empty-static" .)
printf 'package main\n\nimport (\n\t"os"\n\n\tsecretscancli "github.com/tokenguard/tokenguard/internal/cli/secretscan"\n)\n\nfunc main() {\n\tif len(os.Args) < 9 {\n\t\tos.Exit(0)\n\t}\n\tos.Exit(secretscancli.Main(os.Args[1:], os.Stdout, os.Stderr))\n}\n' >"$work/linked.go"
printf '{"Replace": {"%s/cmd/secretscan-linked-only/main.go": "%s"}}' "$root" "$work/linked.go" >"$work/overlay.json"
(cd "$root" && CGO_ENABLED=0 go build -overlay "$work/overlay.json" -o "$work/secretscan-linked-only" ./cmd/secretscan-linked-only)
ms() { # CMD...: "wall cpu" milliseconds of one run (cpu = user + sys)
	local TIMEFORMAT='%3R %3U %3S' t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1) || true
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%d %d\n", a[1] * 1000, (a[2] + a[3]) * 1000 }'
}
: >"$work/staged.ms"
: >"$work/diff.ms"
: >"$work/staged-before.ms"
: >"$work/empty.ms"
: >"$work/linked.ms"
cd "$srepo"
for _ in $(seq 21); do
	ms git diff --cached --stat >>"$work/diff.ms"
	ms "$ss" staged >>"$work/staged.ms"
	if [ -n "$before" ]; then
		ms "$work/secretscan-before" staged >>"$work/staged-before.ms"
	fi
	ms "$work/empty-static" >>"$work/empty.ms"
	ms "$work/secretscan-linked-only" >>"$work/linked.ms"
done
stats() { # FILE: "median wall, fastest wall, median cpu" in ms
	local med fast cpu
	med=$(cut -d' ' -f1 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	fast=$(cut -d' ' -f1 "$1" | sort -n | head -1)
	cpu=$(cut -d' ' -f2 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "median ${med} ms, fastest ${fast} ms, cpu ${cpu} ms"
}
echo "== secretscan staged, 10 changed files of 5,000 (21 runs each, process start included)"
echo "git diff --cached --stat  $(stats "$work/diff.ms")"
echo "secretscan staged         $(stats "$work/staged.ms")"
if [ -n "$before" ]; then
	echo "before ($before)  $(stats "$work/staged-before.ms")"
fi
echo "empty static Go program   $(stats "$work/empty.ms")"
echo "secretscan, leaving at once $(stats "$work/linked.ms")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
[ "$missing" -eq 0 ]
