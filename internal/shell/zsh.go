package shell

// Zsh is the Z shell.
type Zsh struct{}

// Name implements Shell.
func (Zsh) Name() string { return "zsh" }

// RCLine implements Shell.
func (Zsh) RCLine() string { return `eval "$(tokenage init zsh)"` }

// RCFile implements Shell.
func (Zsh) RCFile() string { return "~/.zshrc" }

// As in bash; localtraps restores the user's INT trap when the function returns.
const zshHook = `# tokenage: warn about old or expiring credentials, once per interactive shell
_tokenage_status=$?
_tokenage_once() {
  setopt localoptions localtraps
  unfunction _tokenage_once
  unset _tokenage_status
  if [[ -o interactive && -z ${_tokenage_done-} && -x {{.Path}} ]]; then
    typeset -g _tokenage_done=1
    trap '' INT
    {{.Path}} warn --timeout={{.Timeout}} </dev/null
  fi
  return "$1"
}
_tokenage_once "$_tokenage_status"
`

func (Zsh) template() string { return zshHook }
