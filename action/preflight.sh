#!/usr/bin/env bash
# The steps of tokenguard's GitHub Action (../action.yml), kept in a script so
# that they run, and are tested, the same way outside GitHub:
#
#   action/preflight.sh install   build the tools named in INPUT_INSTALL (default: tokencheck)
#                                 into $RUNNER_TEMP/tokenguard and add it to $GITHUB_PATH
#   action/preflight.sh check     tokencheck --format github with the action's inputs:
#                                 INPUT_REQUIRE (requirements, separated by spaces or commas),
#                                 INPUT_REPO, INPUT_VALID_FOR
#
# check exits 1 with an ::error:: annotation per credential that is missing,
# malformed, invalid, expired or lacks the role; every value found is masked
# in the log first (::add-mask::).

# The body is one function called on the last line, so a partial copy never runs.
main() {
	set -euo pipefail
	local here
	here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
	case "${1:-}" in
	install) install "$here" ;;
	check) check ;;
	*)
		echo "preflight.sh: error: unknown step ${1:-(none)}" >&2
		echo "preflight.sh: hint: run action/preflight.sh install, then action/preflight.sh check" >&2
		return 2
		;;
	esac
}

install() {
	local dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tokenguard" tool tools
	read -r -a tools <<<"${INPUT_INSTALL:-tokencheck}"
	mkdir -p "$dir"
	for tool in "${tools[@]}"; do
		if [ ! -d "$1/cmd/$tool" ]; then
			echo "::error title=tokenguard::unknown tool '$tool' in the install input: the tools are $(cd "$1/cmd" && echo *)"
			return 2
		fi
		(cd "$1" && CGO_ENABLED=0 go build -o "$dir/$tool" "./cmd/$tool")
		"$dir/$tool" --version
	done
	if [ -n "${GITHUB_PATH:-}" ]; then
		echo "$dir" >>"$GITHUB_PATH"
	fi
}

check() {
	local args=(--format github --no-audit-log) reqs
	local require="${INPUT_REQUIRE:-}"
	read -r -a reqs <<<"${require//,/ }"
	args+=("${reqs[@]}")
	if [ -n "${INPUT_REPO:-}" ]; then
		args+=(--repo "$INPUT_REPO")
	fi
	if [ -n "${INPUT_VALID_FOR:-}" ]; then
		args+=(--valid-for "$INPUT_VALID_FOR")
	fi
	if ! command -v tokencheck >/dev/null 2>&1; then
		echo "::error title=tokenguard::tokencheck is not on PATH: run the install step (action/preflight.sh install) first"
		return 1
	fi
	tokencheck "${args[@]}"
}

main "$@"
