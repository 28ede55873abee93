// Command tokencheck validates, before a job starts, every credential it needs.
package main

import (
	"os"

	tokencheckcli "github.com/tokenguard/tokenguard/internal/cli/tokencheck"
)

func main() { os.Exit(tokencheckcli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
