// Command hubupload uploads files and folders to the Hugging Face Hub with a
// token pre-flight, retries with backoff, resume and an all-or-nothing commit.
package main

import (
	"os"

	hubuploadcli "github.com/tokenguard/tokenguard/internal/cli/hubupload"
)

func main() { os.Exit(hubuploadcli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
