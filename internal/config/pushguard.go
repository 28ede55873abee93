package config

import "github.com/tokenguard/tokenguard/internal/bytesize"

// Pushguard is the [pushguard] table. Sizes are strings in bytesize's
// grammar ("10MiB", "1.5GiB", "100MB") or integers (bytes).
//
//	[pushguard]
//	max_file_size = "10MiB"        # files above this must be in LFS (default 10 MiB, the Hub's limit)
//	strict = false                 # block the push when the Hub cannot be reached
//	[pushguard.max_file_size_by_host]
//	"github.com" = "100MiB"        # the limit for remotes on one host
type Pushguard struct {
	MaxFileSize       bytesize.Size            `toml:"max_file_size"`
	Strict            bool                     `toml:"strict"`
	MaxFileSizeByHost map[string]bytesize.Size `toml:"max_file_size_by_host"`
}
