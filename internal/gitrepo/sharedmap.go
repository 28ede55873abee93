package gitrepo

import (
	"os"
	"sync"
	"sync/atomic"
)

// A history scan opens one Repo per worker, and each maps every pack. A
// page mapped three times counts three times in the process's resident
// memory, so a 327 MB pack cost a gigabyte: the files are mapped once per
// process instead, and shared while any Repo holds them.
var shared = struct {
	sync.Mutex
	m    map[string]*sharedMap
	next uint32
}{m: map[string]*sharedMap{}}

type sharedMap struct {
	id    uint32 // names the file in object caches shared by Repos
	fi    os.FileInfo
	data  []byte
	unmap func() error
	refs  int
	read  atomic.Int64 // bytes read since the pages were last handed back
}

// releaseEvery is how many bytes of a mapping are read between two hand-
// backs of its pages. A history scan reads most of every pack once; its
// pages stayed resident, so peak memory grew with the pack (git's too).
// Handing them back bounds that to about this much: the pages stay in the
// page cache, and the few read again (commits, trees) fault back cheaply.
// At 8 MiB (was 32) the extra faults cost nothing measurable.
const releaseEvery = 8 << 20

// consumed notes n bytes read from the mapping, and hands its pages back
// to the kernel past releaseEvery. Readers on other goroutines are safe:
// a page dropped under them is read again from the page cache.
func (sm *sharedMap) consumed(n int64) {
	if sm.read.Add(n) < releaseEvery {
		return
	}
	sm.read.Store(0)
	dropPages(sm.data)
}

// mapShared maps the file at path read-only, or hands out the mapping
// already made of that same file (same inode and size: git replaces pack
// files, it never rewrites them). release drops this holder's claim; the
// last one unmaps.
func mapShared(path string) (sm *sharedMap, release func() error, err error) {
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
	sm = shared.m[path]
	if sm == nil || !os.SameFile(sm.fi, fi) || sm.fi.Size() != fi.Size() {
		data, unmap, err := mapFile(f)
		if err != nil {
			return nil, nil, err
		}
		// A replaced file stays mapped for its holders until their
		// release; it is no longer handed out.
		shared.next++
		sm = &sharedMap{id: shared.next, fi: fi, data: data, unmap: unmap}
		shared.m[path] = sm
	}
	sm.refs++
	var once sync.Once
	return sm, func() error {
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
