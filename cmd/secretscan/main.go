// Command secretscan finds credentials in files, directory trees and standard
// input before they are committed.
package main

import (
	"os"

	secretscancli "github.com/tokenguard/tokenguard/internal/cli/secretscan"
)

func main() { os.Exit(secretscancli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
