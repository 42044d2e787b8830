package objstore

import (
	"context"
	"iter"
	"time"

	"github.com/minio/minio-go/v7"

	"dakiya/internal/postal"
)

// List yields the objects under prefix last modified before olderThan, in
// key order, page by page, so a bucket of millions is never held in
// memory. A failure is yielded once, classified, and ends the listing.
// Listed objects carry no metadata (S3 listings do not return it) and no
// content type.
func (s *Store) List(ctx context.Context, prefix string, olderThan time.Time) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // stops minio-go's paging when the caller stops early
		opts := minio.ListObjectsOptions{Prefix: prefix, Recursive: true}
		for info := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
			if info.Err != nil {
				yield(Object{}, classify("list", info.Err))
				return
			}
			if !info.LastModified.Before(olderThan) {
				continue
			}
			obj := Object{Key: info.Key, Size: info.Size, LastModified: info.LastModified.UTC()}
			if !yield(obj, nil) {
				return
			}
		}
	}
}

// Delete removes the object at key; a key that is not there is no error.
// Proofs are never overwritten and are kept by the bucket's lifecycle rule:
// Delete exists only to remove orphans, objects whose database row was
// never written.
func (s *Store) Delete(ctx context.Context, key string) error {
	if key == "" {
		return postal.Invalid("object key is required")
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	return classify("delete", s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}))
}
