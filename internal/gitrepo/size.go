package gitrepo

import "github.com/go-git/go-git/v5/plumbing"

// BlobSize is the size of blob h, from the object header: pushguard needs
// sizes of large files without reading them.
func (r *Repo) BlobSize(h Hash) (int64, error) {
	o, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return 0, missing("blob", h, err)
	}
	return o.Size(), nil
}
