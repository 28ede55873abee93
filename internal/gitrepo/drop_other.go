//go:build !linux

package gitrepo

// dropPages is a no-op where the pages are not handed back (and where
// mapFile reads the file into memory instead).
func dropPages([]byte) {}
