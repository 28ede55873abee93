package hubtest

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Fetches are served by git itself (gitserve.go). For pushes, the fake
// speaks just enough of git's smart HTTP protocol for `git push`
// to reach its pre-push hook (git lists the remote's refs first) and then be
// refused: the fake stores no git pushes. Scenarios use this to show that
// pushguard decides before git uploads anything.

// RejectMessage is why the fake refuses every git push that gets past the hook.
const RejectMessage = "the fake Hub does not store git pushes"

// gitInfoRefs advertises an empty repository to git-receive-pack.
func (h *hub) gitInfoRefs(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("service") == "git-upload-pack" {
		h.gitUploadPack(w, r) // a fetch of a repository added with AddGitRepo
		return
	}
	if r.URL.Query().Get("service") != "git-receive-pack" {
		http.Error(w, "only pushes are served", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/x-git-receive-pack-advertisement")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, pktLine("# service=git-receive-pack\n")+"0000")
	io.WriteString(w, pktLine("0000000000000000000000000000000000000000 capabilities^{}\x00report-status delete-refs ofs-delta agent=fakehub\n")+"0000")
}

// gitReceivePack reads the ref updates and refuses each of them.
func (h *hub) gitReceivePack(w http.ResponseWriter, r *http.Request) {
	br := bufio.NewReader(r.Body)
	var refs []string
	for {
		line, err := readPkt(br)
		if err != nil || line == "" {
			break // a flush packet ends the commands
		}
		cmd, _, _ := strings.Cut(line, "\x00")
		if f := strings.Fields(cmd); len(f) == 3 {
			refs = append(refs, f[2])
		}
	}
	io.Copy(io.Discard, br) // the pack itself
	w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
	out := pktLine("unpack ok\n")
	for _, ref := range refs {
		out += pktLine("ng " + ref + " " + RejectMessage + "\n")
	}
	io.WriteString(w, out+"0000")
}

func pktLine(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }

// readPkt reads one pkt-line; "" is a flush packet.
func readPkt(r *bufio.Reader) (string, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return "", err
	}
	n, err := strconv.ParseUint(string(size[:]), 16, 16)
	if err != nil {
		return "", err
	}
	if n < 4 {
		return "", nil
	}
	b := make([]byte, n-4)
	_, err = io.ReadFull(r, b)
	return strings.TrimSuffix(string(b), "\n"), err
}
