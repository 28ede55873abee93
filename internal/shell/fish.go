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
// Ctrl-C during the run would abort the rest of config.fish, as in bash,
// but fish cannot ignore SIGINT (neither an empty trap nor a handler stops
// the abort): the terminal is told not to turn Ctrl-C into a signal for
// the run (at most --timeout), then put back as it was.
const fishHook = `# tokenage: warn about old or expiring credentials, once per interactive shell
set -l __tokenage_previous_status $status
function __tokenage_once --argument-names previous_status
    functions --erase __tokenage_once
    if status is-interactive; and not set -q __tokenage_done; and test -x {{.Path}}
        set -g __tokenage_done 1
        set -l tty_state (stty -g 2>/dev/null)
        test -n "$tty_state"; and stty -isig 2>/dev/null
        {{.Path}} warn --timeout={{.Timeout}} </dev/null
        test -n "$tty_state"; and stty $tty_state 2>/dev/null
    end
    return $previous_status
end
__tokenage_once $__tokenage_previous_status
`

func (Fish) template() string { return fishHook }
