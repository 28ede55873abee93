//go:build unix

package gitrepo

import (
	"os"
	"syscall"
)

// mapFile maps a pack file read-only: objects are then read with no system
// call and no copy. Pack files are never modified in place (git writes new
// ones and renames), so the mapping stays valid while it is open.
func mapFile(f *os.File) ([]byte, func() error, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 {
		return nil, func() error { return nil }, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
