#!/usr/bin/env bash
# install.sh — build and install the tokenguard binaries from this checkout.
#
#   ./install.sh            install every binary under cmd/ into ${PREFIX:-$HOME/.local}/bin
#                           (or $GOBIN when set), check each one runs, and show an
#                           offline check of the credentials in your environment
#   ./install.sh --help     this text
#
# Running it again rebuilds and says which binaries changed; nothing else is touched.

# The whole body is one function called on the last line, so a partially
# downloaded script never runs half-way.
main() {
	set -euo pipefail

	case "${1:-}" in
	-h | --help)
		sed -n '2,9s/^# \{0,1\}//p' "$0"
		return 0
		;;
	"") ;;
	*)
		say "error: unknown argument $1"
		say "hint: run ./install.sh --help"
		return 2
		;;
	esac

	local root
	root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
	if ! command -v go >/dev/null 2>&1; then
		say "error: go is not installed or not on PATH"
		say "hint: install Go 1.26 or newer from your package manager or https://go.dev/dl, then run ./install.sh again"
		return 1
	fi

	local bindir="${GOBIN:-${PREFIX:-$HOME/.local}/bin}"
	mkdir -p "$bindir"

	local binaries=()
	local dir
	for dir in "$root"/cmd/*/; do
		binaries+=("$(basename "$dir")")
	done

	# Checksums before and after tell "installed" from "unchanged".
	local before=() name
	for name in "${binaries[@]}"; do
		before+=("$(checksum "$bindir/$name")")
	done

	say "building ${binaries[*]} into $bindir"
	# Static binaries (no cgo) start about a millisecond faster, which the
	# login-shell line (tokenage warn) runs on every new shell.
	(cd "$root" && CGO_ENABLED=0 GOBIN="$bindir" go install ./cmd/...)

	local i=0 changed=0
	for name in "${binaries[@]}"; do
		local after
		after="$(checksum "$bindir/$name")"
		if [ -z "${before[$i]}" ]; then
			say "installed $bindir/$name"
			changed=1
		elif [ "${before[$i]}" != "$after" ]; then
			say "updated $bindir/$name"
			changed=1
		fi
		# Each binary must start and answer; a broken build stops here.
		"$bindir/$name" --version >/dev/null
		i=$((i + 1))
	done
	if [ "$changed" = 0 ]; then
		say "already up to date: nothing changed"
	fi

	case ":$PATH:" in
	*":$bindir:"*) ;;
	*)
		say "warning: $bindir is not on your PATH"
		say "hint: add this line to your shell rc file: export PATH=\"$bindir:\$PATH\""
		;;
	esac
	# Run the toolkit once: an offline look at the credentials in this environment.
	say "the credentials in your environment (offline check; run 'tokencheck' for the live one):"
	"$bindir/tokencheck" --offline --no-audit-log || true
	say "done"
}

say() { printf 'install.sh: %s\n' "$*" >&2; }

checksum() {
	if [ -f "$1" ]; then
		cksum <"$1"
	fi
}

main "$@"
