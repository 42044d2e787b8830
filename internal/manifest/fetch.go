package manifest

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"dakiya/internal/postal"
)

// A phone fetches its manifest often and it changes seldom, so the fetch
// reads one row by primary key and sends stored bytes: the JSON and its
// gzip are made when the manifest is rendered, never per request. Each
// replica keeps the bodies it has served in memory under their ETag, and
// every fetch still reads the row's current ETag from the database, so a
// replica never serves a version another one has replaced.

// ETagOf is the strong ETag of a manifest's JSON: a hash of the bytes, so
// any change to them is a new ETag.
func ETagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// Compress gzips a manifest's JSON at the best compression: it runs once
// per version written, and the phone is on a slow network.
func Compress(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("manifest: gzip: %w", err)
	}
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("manifest: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("manifest: gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// Served is what the store gives a phone's fetch: the fields that decide
// who may see the manifest, its ETag and, unless the caller knew that
// ETag, its bodies.
type Served struct {
	DCID, PostmanID, Status string
	ETag                    string
	Body                    []byte
	Gzip                    []byte // nil in a row stored before it was kept
}

// Fetched is a manifest as its phone fetches it: the stored JSON and its
// gzip, under the JSON's ETag. Body and Gzip are nil only when ETag is the
// one the caller said it has, which is then answered 304.
type Fetched struct {
	ETag       string
	Body, Gzip []byte
}

// Fetch returns the current version of a manifest to those Get shows it
// to, with one statement: have is the ETag the caller holds (from
// If-None-Match; "" for none), whose body need not be read.
func (s *Service) Fetch(ctx context.Context, p postal.Principal, id, have string) (Fetched, error) {
	cached := s.bodies.get(id)
	known := have
	if cached != nil {
		known = cached.etag
	}
	row, err := s.store.ManifestServed(ctx, id, known)
	if err != nil {
		return Fetched{}, err
	}
	if !visible(p, Record{Summary: Summary{DCID: row.DCID, PostmanID: row.PostmanID, Status: row.Status}}) {
		return Fetched{}, postal.Errorf(postal.CodeNotFound, "manifest not found")
	}
	switch {
	case row.Body != nil:
		if row.Gzip == nil { // a row from before the gzip was stored
			if row.Gzip, err = Compress(row.Body); err != nil {
				return Fetched{}, err
			}
			// Best effort: should it fail, the next fetch compresses again.
			_ = s.store.SaveManifestGzip(ctx, id, row.ETag, row.Gzip)
		}
		s.bodies.put(id, &bodies{etag: row.ETag, plain: row.Body, gz: row.Gzip})
		return Fetched{ETag: row.ETag, Body: row.Body, Gzip: row.Gzip}, nil
	case cached != nil && row.ETag == cached.etag:
		return Fetched{ETag: row.ETag, Body: cached.plain, Gzip: cached.gz}, nil
	default: // row.ETag == have: the caller's copy is current
		return Fetched{ETag: row.ETag}, nil
	}
}

// bodies is one version of a manifest as a replica keeps it.
type bodies struct {
	etag      string
	plain, gz []byte
}

func (b *bodies) size() int { return len(b.plain) + len(b.gz) + len(b.etag) }

// bodyCache keeps the last version served of each manifest, up to a
// budget of bytes; when over, it drops arbitrary entries (a dropped one
// costs one read of its row). It only saves reading the bodies: whether an
// entry is current is decided by the ETag read with every fetch.
type bodyCache struct {
	mu    sync.RWMutex
	m     map[string]*bodies
	bytes int
	max   int
}

func newBodyCache(max int) *bodyCache { return &bodyCache{m: map[string]*bodies{}, max: max} }

func (c *bodyCache) get(id string) *bodies {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[id]
}

func (c *bodyCache) put(id string, b *bodies) {
	if b.size() > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[id]; old != nil {
		c.bytes -= old.size()
	}
	c.m[id] = b
	c.bytes += b.size()
	for k, v := range c.m {
		if c.bytes <= c.max {
			break
		}
		if k != id {
			delete(c.m, k)
			c.bytes -= v.size()
		}
	}
}
