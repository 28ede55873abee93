//go:build unix

package smallfile

import "syscall"

const nonBlock = syscall.O_NONBLOCK
