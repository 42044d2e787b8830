package objstore

import (
	"context"
	"io"
	"iter"
	"net/url"
	"time"
)

// Blobs is a Store behind signatures made of standard types only, so that a
// domain package can declare the small interface it needs (proof.Objects)
// without importing this package.
type Blobs struct{ s *Store }

// Blobs returns s seen through plain signatures.
func (s *Store) Blobs() Blobs { return Blobs{s: s} }

// Put stores data under key once; see Store.Put.
func (b Blobs) Put(ctx context.Context, key string, data []byte, contentType string, meta map[string]string) error {
	return b.s.Put(ctx, key, data, contentType, meta)
}

// Open returns the body of the object at key; see Store.Get.
func (b Blobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	body, _, err := b.s.Get(ctx, key)
	return body, err
}

// PresignGet returns a short-lived GET URL; see Store.PresignGet.
func (b Blobs) PresignGet(ctx context.Context, key string, ttl time.Duration) (*url.URL, error) {
	return b.s.PresignGet(ctx, key, ttl)
}

// Delete removes the object at key; see Store.Delete.
func (b Blobs) Delete(ctx context.Context, key string) error { return b.s.Delete(ctx, key) }

// Keys yields the keys under prefix last modified before olderThan; see
// Store.List.
func (b Blobs) Keys(ctx context.Context, prefix string, olderThan time.Time) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for obj, err := range b.s.List(ctx, prefix, olderThan) {
			if !yield(obj.Key, err) || err != nil {
				return
			}
		}
	}
}
