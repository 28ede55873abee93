// Command tokenage warns, in the login shell and without network, about credentials past the rotation age or near expiry.
package main

import (
	"os"

	tokenagecli "github.com/tokenguard/tokenguard/internal/cli/tokenage"
)

func main() { os.Exit(tokenagecli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
