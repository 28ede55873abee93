package shell

// Bash is GNU bash.
type Bash struct{}

// Name implements Shell.
func (Bash) Name() string { return "bash" }

// RCLine implements Shell.
func (Bash) RCLine() string { return `eval "$(tokenage init bash)"` }

// RCFile implements Shell.
func (Bash) RCFile() string { return "~/.bashrc" }

// The status is saved on the first line, before the function definition
// resets it. The guard variable is not exported: a re-sourced rc file does
// not warn twice, while a new shell (a new terminal) does. Ctrl-C is ignored
// for the run (at most --timeout), as in direnv's hook, because an interrupt
// would abort the rest of the rc file; the user's own INT trap is restored.
const bashHook = `# tokenage: warn about old or expiring credentials, once per interactive shell
_tokenage_status=$?
_tokenage_once() {
  unset -f _tokenage_once
  unset _tokenage_status
  if [[ $- == *i* && -z ${_tokenage_done-} && -x {{.Path}} ]]; then
    _tokenage_done=1
    local int_trap
    int_trap=$(trap -p INT)
    trap -- '' INT
    {{.Path}} warn --timeout={{.Timeout}} </dev/null
    eval "${int_trap:-trap - INT}"
  fi
  return "$1"
}
_tokenage_once "$_tokenage_status"
`

func (Bash) template() string { return bashHook }
