package rotate

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tokenguard/tokenguard/internal/credential"
	"github.com/tokenguard/tokenguard/internal/redact"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// Place is one file that holds the old value.
type Place struct {
	Path    string // the real file (symlinks resolved), written in place
	Shown   string // as people know it: "~/.bashrc"
	Lines   []int  // the lines that hold the old value
	Tracked bool   // tracked by git: the old value was committed
	// InRepo: the file is in a git work tree, where a backup holding the
	// old value could be committed by the next `git add .`; its backup is
	// removed once the rotation is complete.
	InRepo bool
	mode   fs.FileMode
	old    []byte
	new    []byte
}

// Unread is a candidate file that exists but could not be read: it may
// hold the old value, so the rotation says so instead of passing it by.
type Unread struct {
	Shown, Why string
}

// candidates lists the files a client or a shell reads a credential from,
// plus every .env file of the repository the command runs in.
func candidates(env credential.Env, cwd string) []string {
	h := env.Home
	files := []string{
		credential.HFTokenFile(env),
		filepath.Join(filepath.Dir(credential.HFTokenFile(env)), "stored_tokens"),
		credential.ModalConfigFile(env),
		netrcFile(env),
		filepath.Join(h, ".git-credentials"), // git's store helper
		filepath.Join(credential.GHConfigDir(env), "hosts.yml"),
	}
	for _, rc := range []string{".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zshenv", ".zprofile", ".config/fish/config.fish"} {
		files = append(files, filepath.Join(h, rc))
	}
	return append(files, dotEnvFiles(cwd)...)
}

func netrcFile(env credential.Env) string {
	if p := env.Get("NETRC"); p != "" {
		return p
	}
	return filepath.Join(env.Home, ".netrc")
}

// repoRoot is the work tree cwd is in, or "" outside a repository.
func repoRoot(cwd string) string {
	out, err := exec.Command("git", "-C", cwd, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// isDotEnv: .env and .env.*, not the backups of this package.
func isDotEnv(name string) bool {
	return (name == ".env" || strings.HasPrefix(name, ".env.")) && !strings.HasSuffix(name, backupSuffix)
}

// dotEnvFiles are the .env files under the repository of cwd, skipping
// .git and dependency trees; outside a repository only those of cwd itself
// (cwd may be the home directory: no walk through all of it).
func dotEnvFiles(cwd string) []string {
	var found []string
	root := repoRoot(cwd)
	if root == "" {
		entries, _ := os.ReadDir(cwd)
		for _, e := range entries {
			if !e.IsDir() && isDotEnv(e.Name()) {
				found = append(found, filepath.Join(cwd, e.Name()))
			}
		}
		return found
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable directory holds no file we could rewrite
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == ".git" || name == "node_modules" || name == ".venv" || name == "venv") {
				return filepath.SkipDir
			}
			return nil
		}
		if isDotEnv(name) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// isTokenByte is the alphabet of every credential format tokenguard knows:
// a maximal run of these bytes is a candidate value.
func isTokenByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '-'
}

// replace swaps every run of token bytes whose fingerprint is a key of
// swap for its value, and returns the new content and the lines touched.
// Matching by fingerprint finds the value in any syntax (export lines,
// .env, INI, TOML, netrc, YAML) without holding the old value.
func replace(data []byte, swap map[string]string) ([]byte, []int) {
	var out bytes.Buffer
	var lines []int
	line := 1
	for i := 0; i < len(data); {
		if !isTokenByte(data[i]) {
			if data[i] == '\n' {
				line++
			}
			out.WriteByte(data[i])
			i++
			continue
		}
		j := i
		for j < len(data) && isTokenByte(data[j]) {
			j++
		}
		word := data[i:j]
		if nv, ok := swap[redact.Fingerprint(string(word))]; ok && len(word) >= 8 {
			out.WriteString(nv)
			if len(lines) == 0 || lines[len(lines)-1] != line {
				lines = append(lines, line)
			}
		} else {
			out.Write(word)
		}
		i = j
	}
	return out.Bytes(), lines
}

// findPlaces reads every candidate and keeps those holding an old value.
func findPlaces(env credential.Env, cwd string, swap map[string]string) ([]*Place, []Unread) {
	var places []*Place
	var unread []Unread
	seen := map[string]bool{}
	for _, c := range candidates(env, cwd) {
		real, err := filepath.EvalSymlinks(c)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			unread = append(unread, Unread{env.Pretty(c), err.Error()})
			continue
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		data, fi, err := smallfile.Read(real, 1<<20)
		if err != nil {
			var se *smallfile.Error
			why := err.Error()
			if errors.As(err, &se) {
				why = se.Why
			}
			unread = append(unread, Unread{env.Pretty(c), why})
			continue
		}
		nd, lines := replace(data, swap)
		if len(lines) == 0 {
			continue
		}
		places = append(places, &Place{Path: real, Shown: env.Pretty(c), Lines: lines,
			Tracked: tracked(real), InRepo: repoRoot(filepath.Dir(real)) != "", mode: fi.Mode().Perm(), old: data, new: nd})
	}
	return places, unread
}

// tracked asks git whether the file is in the index of its repository.
func tracked(path string) bool {
	cmd := exec.Command("git", "-C", filepath.Dir(path), "ls-files", "--error-unmatch", "--", filepath.Base(path))
	return cmd.Run() == nil
}

// backupSuffix names the copy of a file's old content kept beside it.
const backupSuffix = ".tokenguard-backup"

// write keeps the old content beside the file (0600: it holds the old
// value), then replaces the file atomically with its mode kept.
func (p *Place) write() error {
	if err := writeFile(p.Path+backupSuffix, p.old, 0o600); err != nil {
		return err
	}
	return writeFile(p.Path, p.new, p.mode)
}

// restore puts the old content back.
func (p *Place) restore() error { return writeFile(p.Path, p.old, p.mode) }

// Backup is where the old content is kept.
func (p *Place) Backup() string { return p.Shown + backupSuffix }

// writeFile is atomicfile.Write; a variable so a test can fail the n-th write.
var writeFile = atomicWrite
