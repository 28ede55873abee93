package kongcli

import "github.com/tokenguard/tokenguard/internal/cli/clikit"

// Help implements kong's HelpProvider.
func (warnCmd) Help() string {
	return `Finds the credentials of this environment (variables and the clients' files,
no network), records new ones in the ledger, and prints one line on stderr for
each credential past the maximum age, within --warn-before of it, or near or
past a known expiry. Prints nothing when all is well.

It never fails the shell: problems become one line on stderr and the exit code
is always 0, also after --timeout. The shell snippet (tokenage init) runs it
once per interactive shell.

Examples:
  $ tokenage warn
  tokenage: warning: HF_TOKEN (hf_…wxyz, env) is 97 days old — rotate it: https://huggingface.co/settings/tokens, then update HF_TOKEN
  $ tokenage warn --remind-every 1d     # at most one warning a day per credential`
}

// Help implements kong's HelpProvider.
func (initCmd) Help() string {
	return `Prints a snippet for the shell's startup file. It runs 'tokenage warn' once
when an interactive shell starts (never on each prompt, never in scripts),
calls this binary by its absolute path, does nothing if the binary has gone,
keeps the exit status it found, and gives up after --timeout.

Add one line to the startup file:
  bash  ~/.bashrc                    eval "$(tokenage init bash)"
  zsh   ~/.zshrc                     eval "$(tokenage init zsh)"
  fish  ~/.config/fish/config.fish   tokenage init fish | source

` + clikit.ExitCodesHelp + `

Examples:
  $ tokenage init bash >> ~/.bashrc      # or the eval line above, which follows upgrades
  $ tokenage init fish | source`
}

// Help implements kong's HelpProvider.
func (statusCmd) Help() string {
	return `Lists every credential the ledger knows, those of this environment first (and
with -a/--all the retired ones too), with their age and where the age comes from:
"provider" (the creation date Hugging Face or Modal reported to tokencheck),
"rotated" (recorded with tokenage rotated), "file" (the modification time of the
file holding it) or "first-seen" (when tokenguard first saw it). New
credentials are recorded in the ledger
($XDG_STATE_HOME/tokenguard/ledger.json, fingerprints only).

` + clikit.ExitCodesHelp + ` status itself never reports a policy failure: use
tokenage check for that. A credential file that cannot be read or parsed gives
3, after the table.

Examples:
  $ tokenage status
  $ tokenage status --all -f json`
}

// Help implements kong's HelpProvider.
func (checkCmd) Help() string {
	return `Judges the credentials of this environment like warn, prints the same table as
status on stdout, and fails when one is past the maximum age or past its
known expiry. Credentials that are only due soon, or ignored in the
configuration, do not fail. No network: to record the creation dates Hugging
Face and Modal report, run tokencheck first.

` + clikit.ExitCodesHelp + ` A credential past the maximum age or expired
gives 1; a bad flag or configuration file gives 2; a credential file that
cannot be read or parsed gives 3.

Examples:
  $ tokenage check
  $ tokenage check --max-age 30d -f json`
}

// Help implements kong's HelpProvider.
func (rotatedCmd) Help() string {
	return `A new value under the same variable or file is noticed by itself (the old
entry is retired); use this when the ledger cannot know, for example after a
token file was restored from a backup with an old modification time. The age
of the credential NAME finds in this environment counts from now (or --on),
unless its provider reports a later creation date. A provider name picks the
credential its clients use first.

` + clikit.ExitCodesHelp + ` A NAME that matches nothing gives 2.

Examples:
  $ tokenage rotated HF_TOKEN
  $ tokenage rotated modal --on 2026-03-01`
}

// Help implements kong's HelpProvider.
func (forgetCmd) Help() string {
	return `Removes every ledger entry NAME matches, including retired ones and ones not
found in this environment. A credential still in use is recorded again, with
a fresh first-seen date, the next time tokenage runs: to stop warnings about
it, add it to "ignore" in [tokenage] of the configuration instead.

` + clikit.ExitCodesHelp + ` A NAME that matches nothing gives 2.

Examples:
  $ tokenage forget GITHUB_TOKEN
  $ tokenage forget 8cf1cd2c`
}

// Help implements kong's HelpProvider.
func (rotateCmd) Help() string {
	return `Runs "tokencheck rotate" with the same arguments: the tokencheck found beside
this tokenage, else the one on PATH. Its exit code is this command's.

Examples:
  $ tokenage rotate hf
  $ tokenage rotate hf --github-secret alice/train`
}
