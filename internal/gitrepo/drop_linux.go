package gitrepo

import "syscall"

// dropPages hands the resident pages of a read-only file mapping back to
// the kernel; the next read faults them in again from the page cache.
func dropPages(b []byte) {
	if len(b) > 0 {
		_ = syscall.Madvise(b, syscall.MADV_DONTNEED) // advice: nothing to do if refused
	}
}
