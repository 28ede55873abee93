package gitrepo

// BlobSize is the size of blob h, from the object header: pushguard needs
// the sizes of large files without reading them.
func (r *Repo) BlobSize(h Hash) (int64, error) { return r.size(h) }
