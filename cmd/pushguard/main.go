// Command pushguard is git's pre-push hook: it stops a push that would send
// secrets or oversized non-LFS files, or that the Hub token cannot make.
package main

import (
	"os"

	pushguardcli "github.com/tokenguard/tokenguard/internal/cli/pushguard"
)

func main() { os.Exit(pushguardcli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
