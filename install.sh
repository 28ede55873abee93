#!/usr/bin/env bash
# install.sh — install tokenguard from this checkout and wire it in.
#
#   ./install.sh                 build every binary under cmd/ into ${PREFIX:-$HOME/.local}/bin
#                                (or $GOBIN), install the pre-commit and pre-push hooks in the
#                                git repository you are in, and add the tokenage line to the rc
#                                files of your shells (bash; zsh and fish when installed)
#   ./install.sh --repo PATH     install the hooks in the repository at PATH
#   ./install.sh --no-hooks      leave git hooks alone
#   ./install.sh --no-shell      leave shell rc files alone
#   ./install.sh --dry-run       print what would be done, change nothing
#   ./install.sh --uninstall     remove exactly what was added: binaries, hooks (putting back
#                                the hooks that were there before), rc-file blocks
#   ./install.sh --help          this text
#
# Running it again changes only what is out of date, and says so. Existing hooks are kept
# and run after tokenguard's, with the same arguments and input. rc files are edited only
# between "# tokenguard START" and "# tokenguard END" lines.
# Exit codes: 0 done, 1 could not (no Go, a failed build, a hook in the way), 2 usage error.

# The whole body is in functions called on the last line, so a partially
# downloaded script never runs half-way.

main() {
	set -euo pipefail

	dry=0 uninstall=0 hooks=1 shells=1 repo="" repo_given=0 changed=0
	while [ $# -gt 0 ]; do
		case "$1" in
		-h | --help)
			sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
			return 0
			;;
		--dry-run) dry=1 ;;
		--uninstall) uninstall=1 ;;
		--no-hooks) hooks=0 ;;
		--no-shell) shells=0 ;;
		--repo)
			if [ $# -lt 2 ]; then
				usage_error "--repo needs a PATH"
				return 2
			fi
			repo=$2 repo_given=1
			shift
			;;
		--repo=*) repo=${1#--repo=} repo_given=1 ;;
		*)
			usage_error "unknown argument $1"
			return 2
			;;
		esac
		shift
	done

	root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
	bindir="${GOBIN:-${PREFIX:-$HOME/.local}/bin}"
	# Copies of hooks/*, which the installed hooks run: the checkout may be deleted.
	sharedir="${PREFIX:-$HOME/.local}/share/tokenguard"
	binaries=()
	local dir
	for dir in "$root"/cmd/*/; do
		binaries+=("$(basename "$dir")")
	done
	if [ "$dry" = 1 ]; then
		say "dry run: nothing will be changed"
	fi

	if [ "$uninstall" = 1 ]; then
		if [ "$hooks" = 1 ]; then uninstall_hooks; fi
		if [ "$shells" = 1 ]; then uninstall_shells; fi
		uninstall_binaries
	else
		# No "|| return" here: it would switch off set -e inside the functions.
		install_binaries
		if [ "$hooks" = 1 ]; then install_hooks; fi
		if [ "$shells" = 1 ]; then install_shells; fi
	fi

	if [ "$dry" = 1 ]; then
		say "dry run: nothing was changed"
	elif [ "$changed" = 0 ] && [ "$uninstall" = 1 ]; then
		say "nothing changed: there was nothing to remove"
	elif [ "$changed" = 0 ]; then
		say "nothing changed: everything was already in place"
	fi
	if [ "$uninstall" = 0 ] && [ "$dry" = 0 ]; then
		# Run the toolkit once: an offline look at the credentials in this environment.
		say "the credentials in your environment (offline check; run 'tokencheck' for the live one):"
		"$bindir/tokencheck" --offline --no-audit-log || true
	fi
	say "done"
}

say() { printf 'install.sh: %s\n' "$*" >&2; }

usage_error() {
	say "error: $1"
	say "hint: run ./install.sh --help"
}

# act describes a change, then makes it unless this is a dry run:
# act "message" command args…
act() {
	local what=$1
	shift
	changed=1
	if [ "$dry" = 1 ]; then
		local verb=${what%% *}
		case "$verb" in
		installed | added) verb=${verb%ed} ;;
		removed | moved | updated) verb=${verb%d} ;;
		esac
		say "would $verb ${what#* }"
		return 0
	fi
	"$@"
	say "$what"
}

checksum() {
	if [ -f "$1" ]; then
		cksum <"$1"
	fi
}

# sq quotes a string for sh; fq for fish.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
fq() {
	local s=${1//\\/\\\\}
	printf "'%s'" "${s//\'/\\\'}"
}

# ---------------------------------------------------------------- binaries

install_binaries() {
	if ! command -v go >/dev/null 2>&1; then
		say "error: go is not installed or not on PATH"
		say "hint: install Go 1.26 or newer from your package manager or https://go.dev/dl, then run ./install.sh again"
		return 1
	fi
	if [ "$dry" = 1 ]; then
		say "would build ${binaries[*]} into $bindir"
		return 0
	fi
	mkdir -p "$bindir"

	# Checksums before and after tell "installed" from "unchanged".
	local before=() name
	for name in "${binaries[@]}"; do
		before+=("$(checksum "$bindir/$name")")
	done
	say "building ${binaries[*]} into $bindir"
	# Static binaries (no cgo) start about a millisecond faster, which the
	# login-shell line (tokenage warn) runs on every new shell.
	if ! (cd "$root" && CGO_ENABLED=0 GOBIN="$bindir" go install ./cmd/...); then
		say "error: the build failed (see go's messages above); nothing else was changed"
		say "hint: check that go version is 1.26 or newer, and that this checkout is complete (git status)"
		return 1
	fi

	local i=0 updated=0
	for name in "${binaries[@]}"; do
		local after
		after="$(checksum "$bindir/$name")"
		if [ -z "${before[$i]}" ]; then
			say "installed $bindir/$name"
			updated=1
		elif [ "${before[$i]}" != "$after" ]; then
			say "updated $bindir/$name"
			updated=1
		fi
		# Each binary must start and answer; a broken build stops here.
		"$bindir/$name" --version >/dev/null
		i=$((i + 1))
	done
	if [ "$updated" = 0 ]; then
		say "binaries already up to date"
	fi
	changed=$((changed | updated))

	case ":$PATH:" in
	*":$bindir:"*) ;;
	*)
		say "warning: $bindir is not on your PATH"
		say "hint: add this line to your shell rc file: export PATH=\"$bindir:\$PATH\""
		;;
	esac
}

uninstall_binaries() {
	local name
	for name in "${binaries[@]}"; do
		if [ -e "$bindir/$name" ]; then
			act "removed $bindir/$name" rm -f "$bindir/$name"
		fi
	done
}

# ------------------------------------------------------------------- hooks

# The first line of every hook install.sh writes; how it recognises its own.
hook_mark="# Installed by tokenguard's install.sh."
# The suffix of a hook that was there before, which ours runs after itself.
previous_suffix=".before-tokenguard"

# hooks_dir prints the directory git runs the repository's hooks from
# (core.hooksPath included), or explains why there is none and fails.
hooks_dir() {
	local top hooksdir
	if ! top="$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)"; then
		return 1
	fi
	hooksdir="$(git -C "$top" rev-parse --path-format=absolute --git-path hooks)"
	if [ -n "$(git -C "$top" config core.hooksPath || true)" ]; then
		case "$hooksdir/" in
		"$top"/*)
			if [ -n "$(git -C "$top" ls-files -- "$hooksdir")" ]; then
				say "skipped hooks: core.hooksPath is $hooksdir, a directory committed in this repository, which the team shares"
				say "hint: add tokenguard to those hooks (see hooks/ in the tokenguard checkout), or use the pre-commit framework (.pre-commit-hooks.yaml)"
				return 2
			fi
			;;
		esac
		say "core.hooksPath is set: the hooks go into $hooksdir"
	fi
	printf '%s\n' "$hooksdir"
}

# pre_commit_managed tells whether the pre-commit framework manages a hook.
pre_commit_managed() {
	[ -f "$1" ] && grep -q 'generated by pre-commit' "$1"
}

install_hooks() {
	local target=${repo:-.} hooksdir status=0
	if ! command -v git >/dev/null 2>&1; then
		say "skipped hooks: git is not installed"
		return 0
	fi
	hooksdir="$(hooks_dir "$target")" || status=$?
	if [ "$status" = 1 ]; then
		if [ "$repo_given" = 1 ]; then
			say "error: --repo $repo is not a git repository"
			say "hint: pass the path of a git work tree, or run ./install.sh from inside one"
			return 2
		fi
		say "skipped hooks: $(pwd) is not inside a git repository"
		say "hint: run ./install.sh --repo PATH (or run it from inside the repository) to protect a repository"
		return 0
	elif [ "$status" != 0 ]; then
		return 0
	fi
	# From this checkout, ./install.sh means "install tokenguard", not "guard
	# tokenguard's own repository", whose test data holds fake tokens.
	if [ "$repo_given" = 0 ] && [ "$(git -C "$target" rev-parse --show-toplevel)" = "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null || true)" ]; then
		say "skipped hooks: this is the tokenguard checkout itself"
		say "hint: run ./install.sh --repo PATH for the repository to protect, or run install.sh from inside it"
		return 0
	fi

	local hook
	for hook in pre-commit pre-push; do
		if pre_commit_managed "$hooksdir/$hook"; then
			say "skipped hooks: the pre-commit framework manages $hooksdir/$hook"
			say "hint: add tokenguard to .pre-commit-config.yaml instead (hook ids secretscan and pushguard, from .pre-commit-hooks.yaml; see the README), then: pre-commit install --hook-type pre-commit --hook-type pre-push"
			return 0
		fi
	done
	# The installed hooks run copies of hooks/*: the checkout may go away.
	for hook in pre-commit pre-push; do
		if ! cmp -s "$root/hooks/$hook" "$sharedir/hooks/$hook"; then
			if [ "$dry" = 0 ]; then mkdir -p "$sharedir/hooks"; fi
			act "installed $sharedir/hooks/$hook" install -m 755 "$root/hooks/$hook" "$sharedir/hooks/$hook"
		fi
	done
	for hook in pre-commit pre-push; do
		install_hook "$hooksdir" "$hook"
	done
	record_hooks_dir "$hooksdir"
}

# hook_script prints the hook install.sh writes: tokenguard's check, then
# the previous hook, if any, with the same arguments and input.
hook_script() {
	local hook=$1
	printf '#!/bin/sh\n%s\n' "$hook_mark"
	cat <<EOF
# It runs tokenguard's $hook check and, if that passes, the hook that was
# here before (now $hook$previous_suffix), with the same arguments and input.
# tokenguard's install.sh --uninstall removes it and puts the previous one back.
# Bypass once (think twice): git ${hook#pre-} --no-verify
bin=$(sq "$bindir")
check=$(sq "$sharedir/hooks/$hook")
previous="\$(dirname -- "\$0")/$hook$previous_suffix"
if [ ! -f "\$check" ]; then
	echo "tokenguard: error: \$check is missing: tokenguard was uninstalled or moved" >&2
	echo "tokenguard: hint: run tokenguard's install.sh again, or remove this hook: rm \$0" >&2
	exit 1
fi
EOF
	if [ "$hook" = pre-push ]; then
		# git writes the refs on stdin: keep them for both hooks.
		cat <<'EOF'
input="$(mktemp "${TMPDIR:-/tmp}/tokenguard-pre-push.XXXXXX")" || exit 1
trap 'rm -f "$input"' EXIT
cat >"$input"
PATH="$bin:$PATH" sh "$check" "$@" <"$input" || exit
if [ -x "$previous" ]; then
	"$previous" "$@" <"$input" || exit
fi
EOF
	else
		cat <<'EOF'
PATH="$bin:$PATH" sh "$check" "$@" || exit
if [ -x "$previous" ]; then
	"$previous" "$@" || exit
fi
EOF
	fi
}

install_hook() {
	local dir=$1 hook=$2
	local path="$dir/$hook" content
	content="$(hook_script "$hook")"
	if [ -f "$path" ] && grep -qxF "$hook_mark" "$path"; then
		if [ "$(cat "$path")" = "$content" ]; then
			say "$hook hook already installed in $dir"
		else
			act "updated the $hook hook in $dir" write_file "$path" 755 "$content"
		fi
		return 0
	fi
	if [ -e "$path" ] || [ -L "$path" ]; then
		if [ -e "$path$previous_suffix" ] || [ -L "$path$previous_suffix" ]; then
			say "error: cannot keep $path: $path$previous_suffix already exists"
			say "hint: merge or remove one of them, then run install.sh again"
			return 1
		fi
		act "moved your $hook hook to $path$previous_suffix: it runs after tokenguard's" mv "$path" "$path$previous_suffix"
	fi
	if [ "$dry" = 0 ]; then mkdir -p "$dir"; fi
	act "installed the $hook hook in $dir" write_file "$path" 755 "$content"
}

# write_file PATH MODE CONTENT writes a whole file (with a final newline) in place.
write_file() {
	printf '%s\n' "$3" >"$1.tokenguard-new"
	chmod "$2" "$1.tokenguard-new"
	mv "$1.tokenguard-new" "$1"
}

# The hook directories install.sh has written to, for --uninstall.
record_hooks_dir() {
	local list="$sharedir/hook-dirs"
	if [ "$dry" = 1 ] || { [ -f "$list" ] && grep -qxF "$1" "$list"; }; then
		return 0
	fi
	mkdir -p "$sharedir"
	printf '%s\n' "$1" >>"$list"
}

uninstall_hooks() {
	local dirs=() d status=0
	if [ -f "$sharedir/hook-dirs" ]; then
		while IFS= read -r d; do dirs+=("$d"); done <"$sharedir/hook-dirs"
	fi
	if command -v git >/dev/null 2>&1; then
		d="$(hooks_dir "${repo:-.}" 2>/dev/null)" || status=$?
		if [ "$status" = 0 ]; then
			dirs+=("$d")
		fi
	fi
	local hook seen=" "
	for d in "${dirs[@]}"; do
		case "$seen" in *" $d "*) continue ;; esac
		seen="$seen$d "
		for hook in pre-commit pre-push; do
			uninstall_hook "$d/$hook"
		done
	done
	if [ -d "$sharedir" ]; then
		act "removed $sharedir" rm -rf "$sharedir"
	fi
}

uninstall_hook() {
	local path=$1
	if [ ! -f "$path" ] || ! grep -qxF "$hook_mark" "$path"; then
		return 0
	fi
	act "removed the tokenguard hook $path" rm -f "$path"
	if [ -e "$path$previous_suffix" ] || [ -L "$path$previous_suffix" ]; then
		act "put back your hook $path" mv "$path$previous_suffix" "$path"
	fi
}

# ------------------------------------------------------------------ shells

start_mark="# tokenguard START"
end_mark="# tokenguard END"

# rc_files prints "shell<TAB>rc file" for every shell tokenguard knows.
rc_files() {
	printf 'bash\t%s\n' "$HOME/.bashrc"
	printf 'zsh\t%s\n' "${ZDOTDIR:-$HOME}/.zshrc"
	printf 'fish\t%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/fish/config.fish"
}

# rc_body prints the lines between the markers for a shell: tab completion
# for the tools (the binaries answer bash's complete -C protocol; zsh uses it
# through bashcompinit when its completion system is loaded, fish through a
# function), then the tokenage line, last, so that it sees the exit status
# the rc file had and keeps it.
rc_body() {
	local tokenage="$bindir/tokenage" tool
	echo "# tab completion for tokenguard's tools, and tokenage's warning about old or expiring credentials when a shell starts (tokenguard's install.sh --uninstall removes this block)"
	case "$1" in
	bash)
		for tool in "${binaries[@]}"; do
			echo "if [ -x $(sq "$bindir/$tool") ]; then complete -C $(sq "$bindir/$tool") $tool; fi"
		done
		;;
	zsh)
		cat <<'EOF'
if (( $+functions[compdef] )); then
  autoload -U +X bashcompinit && bashcompinit
EOF
		for tool in "${binaries[@]}"; do
			echo "  if [ -x $(sq "$bindir/$tool") ]; then complete -C $(sq "$bindir/$tool") $tool; fi"
		done
		echo 'fi'
		;;
	fish)
		cat <<'EOF'
function __tokenguard_complete --argument-names bin
    set -lx COMP_LINE (commandline -cp)
    test -z (commandline -ct); and set COMP_LINE "$COMP_LINE "
    $bin
end
EOF
		for tool in "${binaries[@]}"; do
			echo "if test -x $(fq "$bindir/$tool"); complete -c $tool -f -a \"(__tokenguard_complete $(fq "$bindir/$tool"))\"; end"
		done
		;;
	esac
	case "$1" in
	fish) echo "if test -x $(fq "$tokenage"); $(fq "$tokenage") init fish | source; end" ;;
	*) echo "if [ -x $(sq "$tokenage") ]; then eval \"\$($(sq "$tokenage") init $1)\"; fi" ;;
	esac
}

# rc_edit FILE remove|replace prints FILE without its block, or with the
# block's body replaced by $TOKENGUARD_BODY. A START line can carry a note:
# "created" (the file did not exist) or "no final newline" (the line before
# the block had none), which removal honours to give back the exact bytes.
rc_edit() {
	TOKENGUARD_BODY="${body:-}" awk -v mode="$2" -v start="$start_mark" -v end="$end_mark" '
		index($0, start) == 1 {
			inblock = 1
			nonl = index($0, "no final newline") > 0
			if (mode == "replace") { print; print ENVIRON["TOKENGUARD_BODY"] }
			next
		}
		inblock && $0 == end { inblock = 0; if (mode == "replace") print; next }
		inblock { next }
		mode == "replace" { print; next }
		{ if (have) print prev; prev = $0; have = 1; nonl = 0 }
		END { if (have) printf "%s%s", prev, (nonl ? "" : "\n") }
	' "$1"
}

install_shells() {
	local shell file body
	while IFS=$'\t' read -r shell file; do
		if [ "$shell" != bash ] && ! command -v "$shell" >/dev/null 2>&1; then
			say "skipped $shell: it is not installed"
			continue
		fi
		body="$(rc_body "$shell")"
		if [ -f "$file" ] && grep -q "^$start_mark" "$file"; then
			if [ "$(rc_edit "$file" replace)" = "$(cat "$file")" ]; then
				say "$file already has the tokenage line"
			else
				act "updated the tokenage line in $file" rewrite_rc "$file" replace
			fi
			continue
		fi
		local start=$start_mark
		if [ ! -e "$file" ]; then
			start="$start_mark (install.sh created this file)"
		elif [ -s "$file" ] && [ -n "$(tail -c 1 "$file")" ]; then
			start="$start_mark (the line above had no final newline)"
		fi
		act "added the tokenage line to $file" append_rc "$file" "$start"$'\n'"$body"$'\n'"$end_mark"
	done < <(rc_files)
}

# append_rc FILE BLOCK adds the block at the end, on a line of its own.
append_rc() {
	mkdir -p "$(dirname "$1")"
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		printf '\n' >>"$1"
	fi
	printf '%s\n' "$2" >>"$1"
}


uninstall_shells() {
	local shell file
	while IFS=$'\t' read -r shell file; do
		if [ ! -f "$file" ] || ! grep -q "^$start_mark" "$file"; then
			continue
		fi
		if grep -q "^$start_mark (install.sh created this file)" "$file" && [ -z "$(rc_edit "$file" remove)" ]; then
			act "removed $file (install.sh had created it)" rm -f "$file"
		else
			act "removed the tokenage line from $file" rewrite_rc "$file" remove
		fi
	done < <(rc_files)
}

# rewrite_rc FILE remove|replace edits the block in place, keeping the
# file's mode and any link (rc files are often links into a dotfiles repository).
rewrite_rc() {
	local tmp
	tmp="$(mktemp)"
	rc_edit "$1" "$2" >"$tmp"
	cat "$tmp" >"$1"
	rm -f "$tmp"
}

main "$@"
