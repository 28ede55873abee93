#!/usr/bin/env bash
# bench/pushguard.sh — how long pushguard takes to check a push of 100 new
# commits in a medium repository (5,000 files, 3,000 commits of history),
# against `git rev-list --count` of the same range, in the same run.
# Both are timed as whole processes (start-up included); medians of RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Built as install.sh builds it: static, no cgo.
CGO_ENABLED=0 go build -o "$work/pushguard" ./cmd/pushguard

# History from a fast-import stream: an initial commit of 5,000 files, then
# commits that each edit three files.
gen() { # gen FIRST LAST FILES [PARENT]: a stream of commits FIRST..LAST on main
	awk -v first="$1" -v last="$2" -v files="$3" -v parent="${4:-}" 'BEGIN {
		srand(42 + first)
		for (c = first; c <= last; c++) {
			printf "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata <<EOM\ncommit %d\nEOM\n", c, 1600000000 + c * 60, c
			if (c == first && first == 1) {
				for (f = 0; f < files; f++) {
					body = sprintf("file %d\nsome ordinary configuration = %d\n", f, f)
					printf "M 100644 inline src/d%d/f%d.txt\ndata %d\n%s\n", f % 50, f, length(body), body
				}
			} else {
				if (c == first && parent != "") printf "from %s\n", parent
				for (k = 0; k < 3; k++) {
					f = int(rand() * files)
					body = sprintf("file %d edited in commit %d\nvalue = %d\n", f, c, int(rand() * 1000000))
					printf "M 100644 inline src/d%d/f%d.txt\ndata %d\n%s\n", f % 50, f, length(body), body
				}
			}
		}
	}'
}

repo="$work/repo"
git init -q "$repo"
cd "$repo"
gen 1 3000 5000 | git fast-import --quiet
git update-ref refs/remotes/origin/main refs/heads/main
base=$(git rev-parse refs/heads/main)
gen 3001 3100 5000 "$base" | git fast-import --quiet
git checkout -q main
head=$(git rev-parse HEAD)
printf 'refs/heads/main %s refs/heads/main %s\n' "$head" "$base" >"$work/updates"
echo "repository: $(git ls-files | wc -l) files, $(git rev-list --count HEAD) commits; pushing $(git rev-list --count "$base..$head") new commits"

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
time_ms() { # time_ms CMD...: wall milliseconds of one run
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
check() { "$work/pushguard" --no-audit-log origin "$work/origin.git" <"$work/updates"; }
revlist() { git rev-list --count "$base..$head"; }

# Make sure pushguard really checks the range (and passes: no secrets planted).
"$work/pushguard" --no-audit-log -v origin "$work/origin.git" <"$work/updates" | head -1

a=() b=()
for _ in $(seq "$RUNS"); do # interleaved, so both see the same machine load
	a+=("$(time_ms check)")
	b+=("$(time_ms revlist)")
done
pg=$(printf '%s\n' "${a[@]}" | median)
rl=$(printf '%s\n' "${b[@]}" | median)
awk -v pg="$pg" -v rl="$rl" 'BEGIN {
	printf "pushguard median:          %.1f ms\n", pg / 1000
	printf "git rev-list median:       %.1f ms\n", rl / 1000
	printf "pushguard / rev-list:      %.1fx\n", pg / rl
}'
