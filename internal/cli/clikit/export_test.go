package clikit

import "github.com/alecthomas/kong"

// InspectParsers shows f the parser of every Parse until restore is called.
func InspectParsers(f func(*kong.Kong)) (restore func()) {
	inspectParser = f
	return func() { inspectParser = nil }
}
