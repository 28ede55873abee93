package token

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/tokenguard/tokenguard/internal/atomicfile"
	"github.com/tokenguard/tokenguard/internal/smallfile"
)

// Cache remembers successful validations for a short time, so hooks and
// repeated runs do not hammer rate-limited endpoints such as whoami-v2. It
// stores verdicts keyed by fingerprint, never values.
type Cache struct {
	Path string
	TTL  time.Duration

	mu      sync.Mutex
	entries map[string]cacheEntry
	dirty   bool
}

type cacheEntry struct {
	CheckedAt time.Time `json:"checked_at"`
	Result    Result    `json:"result"`
}

// cacheLimit bounds the cache file: a verdict is a few hundred bytes.
const cacheLimit = 1 << 20

// OpenCache reads the cache file; a missing or unreadable file (a pipe, a
// device, one over 1 MiB) is an empty cache.
func OpenCache(path string, ttl time.Duration) *Cache {
	c := &Cache{Path: path, TTL: ttl, entries: map[string]cacheEntry{}}
	if data, _, err := smallfile.Read(path, cacheLimit); err == nil {
		// A corrupt cache is only a lost optimisation: start empty. A file
		// holding "null" decodes to a nil map, which Put would panic on.
		if err := json.Unmarshal(data, &c.entries); err != nil || c.entries == nil {
			c.entries = map[string]cacheEntry{}
		}
	}
	return c
}

// cacheKey binds a verdict to the credential, what was asked of it and the
// service that answered.
func cacheKey(c Credential, req Requirement, endpoint string) string {
	return fmt.Sprintf("%s|%s|%s|%s:%s|%s", c.Provider, c.Fingerprint(), req, req.RepoType, req.Repo, endpoint)
}

// Get returns a fresh verdict.
func (c *Cache) Get(key string, now time.Time) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.Sub(e.CheckedAt) > c.TTL || now.Before(e.CheckedAt) {
		return Result{}, false
	}
	return e.Result, true
}

// Put records a verdict.
func (c *Cache) Put(key string, r Result, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = cacheEntry{CheckedAt: now, Result: r}
	c.dirty = true
}

// Save writes the cache atomically (0600 in a 0700 directory), dropping stale entries.
func (c *Cache) Save(now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	for k, e := range c.entries {
		if now.Sub(e.CheckedAt) > c.TTL {
			delete(c.entries, k)
		}
	}
	data, err := json.Marshal(c.entries)
	if err != nil {
		return err
	}
	return atomicfile.WritePrivate(c.Path, data)
}
