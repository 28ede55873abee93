package shell

// Fish is the friendly interactive shell.
type Fish struct{}

// Name implements Shell.
func (Fish) Name() string { return "fish" }

// RCLine implements Shell.
func (Fish) RCLine() string { return `tokenage init fish | source` }

// RCFile implements Shell.
func (Fish) RCFile() string { return "~/.config/fish/config.fish" }

// The status is read on the first line, before anything can change it, and
// handed to the function whose return becomes the status of the source.
const fishHook = `# tokenage: warn about old or expiring credentials, once per interactive shell
set -l __tokenage_previous_status $status
function __tokenage_once --argument-names previous_status
    functions --erase __tokenage_once
    if status is-interactive; and not set -q __tokenage_done; and test -x {{.Path}}
        set -g __tokenage_done 1
        {{.Path}} warn --timeout={{.Timeout}} </dev/null
    end
    return $previous_status
end
__tokenage_once $__tokenage_previous_status
`

func (Fish) template() string { return fishHook }
