// Command tokenage-cli is the whole tokenage command line (status, check,
// rotated, forget, rotate, help, completion). Users run tokenage, which
// hands every command but the shell's warn and init to this binary
// installed beside it.
package main

import (
	"os"

	"github.com/tokenguard/tokenguard/internal/cli/tokenage/kongcli"
)

func main() { os.Exit(kongcli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
