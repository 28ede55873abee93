package gitrepo

import (
	"os"
	"sync"
)

// A history scan opens one Repo per worker, and each maps every pack. A
// page mapped three times counts three times in the process's resident
// memory, so a 327 MB pack cost a gigabyte: the files are mapped once per
// process instead, and shared while any Repo holds them.
var shared = struct {
	sync.Mutex
	m map[string]*sharedMap
}{m: map[string]*sharedMap{}}

type sharedMap struct {
	fi    os.FileInfo
	data  []byte
	unmap func() error
	refs  int
}

// mapShared maps the file at path read-only, or hands out the mapping
// already made of that same file (same inode and size: git replaces pack
// files, it never rewrites them). release drops this holder's claim; the
// last one unmaps.
func mapShared(path string) (data []byte, release func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	shared.Lock()
	defer shared.Unlock()
	sm := shared.m[path]
	if sm == nil || !os.SameFile(sm.fi, fi) || sm.fi.Size() != fi.Size() {
		data, unmap, err := mapFile(f)
		if err != nil {
			return nil, nil, err
		}
		// A replaced file stays mapped for its holders until their
		// release; it is no longer handed out.
		sm = &sharedMap{fi: fi, data: data, unmap: unmap}
		shared.m[path] = sm
	}
	sm.refs++
	var once sync.Once
	return sm.data, func() error {
		var err error
		once.Do(func() { err = sm.release(path) })
		return err
	}, nil
}

func (sm *sharedMap) release(path string) error {
	shared.Lock()
	defer shared.Unlock()
	if sm.refs--; sm.refs > 0 {
		return nil
	}
	if shared.m[path] == sm {
		delete(shared.m, path)
	}
	return sm.unmap()
}
