package tokenage

import (
	"strings"
	"time"

	"github.com/tokenguard/tokenguard/internal/ledger"
)

// parseWarn reads warn's flags without kong, for the shell fast path:
// building kong's model and interpolating its help takes more time than
// warn's own work. It understands only what it can read exactly as kong
// would (args[0] is "warn", then the four flags as --flag=value or --flag
// value) and declines anything else (help, a stray word, a bad value, a
// value that starts with "-"), which then goes through kong, so that every
// message stays kong's. FuzzParseWarn holds it to kong's result.
func parseWarn(args []string) (*warnCmd, bool) {
	if len(args) == 0 || args[0] != "warn" {
		return nil, false
	}
	c := &warnCmd{Timeout: 300 * time.Millisecond} // the default in warnCmd's tag
	for i := 1; i < len(args); i++ {
		flag, value, inline := strings.Cut(args[i], "=")
		if !inline {
			if i+1 == len(args) {
				return nil, false
			}
			i++
			value = args[i]
		}
		if value == "" || value[0] == '-' {
			return nil, false
		}
		var err error
		switch flag {
		case "--max-age":
			c.MaxAge.d, err = ledger.ParseDuration(value)
			c.MaxAge.set = true
		case "--warn-before":
			c.WarnBefore.d, err = ledger.ParseDuration(value)
			c.WarnBefore.set = true
		case "--remind-every":
			c.RemindEvery.d, err = ledger.ParseDuration(value)
			c.RemindEvery.set = true
		case "--timeout":
			c.Timeout, err = time.ParseDuration(value)
		default:
			return nil, false
		}
		if err != nil {
			return nil, false
		}
	}
	return c, true
}
