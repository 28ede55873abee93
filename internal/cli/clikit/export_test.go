package clikit

import "github.com/alecthomas/kong"

// InspectParsers shows f the parser of every Parse until restore is called.
func InspectParsers(f func(*kong.Kong)) (restore func()) {
	inspectParser = f
	return func() { inspectParser = nil }
}

// BuildAllCommands makes Parse build every command, as kong alone would,
// until restore is called.
func BuildAllCommands() (restore func()) {
	buildAll = true
	return func() { buildAll = false }
}
