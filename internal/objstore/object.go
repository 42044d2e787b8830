package objstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"dakiya/internal/postal"
)

const (
	// MaxPresignTTL is the longest a presigned URL may live: proofs are
	// evidence and links to them must not travel far.
	MaxPresignTTL = 5 * time.Minute

	shaKey         = "sha256" // user metadata key holding the hex SHA-256
	metaPrefix     = "x-amz-meta-"
	checksumHeader = "x-amz-checksum-sha256"
)

// Object describes a stored object.
type Object struct {
	Key          string
	Size         int64
	ContentType  string
	SHA256       string            // lowercase hex, from the object's metadata
	Meta         map[string]string // caller's user metadata: lower-case keys without x-amz-meta-, sha256 excluded
	LastModified time.Time         // UTC
}

// Put stores data under key once, in one conditional PUT
// (If-None-Match: *) whose SHA-256 the server checks against the body and
// refuses on a mismatch. The server's answer is trusted: a success is the
// object as sent, so nothing is read back (Stat returns what is stored).
// Objects are never overwritten: when key already holds the same bytes (a
// retried upload) Put succeeds; when it holds other bytes Put fails with
// CodeConflict. Meta keys must be lower-case letters, digits and '-',
// values printable ASCII; "sha256" is reserved.
func (s *Store) Put(ctx context.Context, key string, data []byte, contentType string, meta map[string]string) error {
	if err := checkPut(key, meta); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	opts := putOptions(sum, contentType, meta)
	s.retain(&opts)
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), opts)
	if isPreconditionFailed(err) {
		return s.existing(ctx, key, hex.EncodeToString(sum[:]))
	}
	return classify("put", err)
}

// putOptions makes the write conditional (If-None-Match: *), which the
// server checks atomically, so two racing writers cannot both succeed.
func putOptions(sum [sha256.Size]byte, contentType string, meta map[string]string) minio.PutObjectOptions {
	um := make(map[string]string, len(meta)+2)
	for k, v := range meta {
		um[metaPrefix+k] = v // prefixed here so no caller key becomes a raw header
	}
	um[metaPrefix+shaKey] = hex.EncodeToString(sum[:])
	um[checksumHeader] = base64.StdEncoding.EncodeToString(sum[:])
	opts := minio.PutObjectOptions{
		ContentType:      contentType,
		UserMetadata:     um,
		DisableMultipart: true, // one PUT, so the condition and checksum cover the whole object
		// The signed checksum header already pins the body. Without this,
		// minio-go signs plain-HTTP bodies in aws-chunked streaming form, and
		// some servers (versitygw) then store "Content-Encoding: aws-chunked"
		// and serve it back to browsers.
		DisableContentSha256: true,
	}
	opts.SetMatchETagExcept("*")
	return opts
}

// existing resolves a refused conditional write: the same bytes are an
// idempotent retry, other bytes a conflict.
func (s *Store) existing(ctx context.Context, key, sum string) error {
	obj, err := s.Stat(ctx, key)
	if err != nil {
		return err
	}
	if obj.SHA256 != sum {
		err := fmt.Errorf("objstore: put %s: exists with sha256 %s, refusing %s", key, obj.SHA256, sum)
		return postal.Wrap(err, postal.CodeConflict, "object already exists with different content")
	}
	return nil
}

func checkPut(key string, meta map[string]string) error {
	if key == "" {
		return postal.Invalid("object key is required")
	}
	for k, v := range meta {
		if k == shaKey || !validMetaKey(k) {
			return postal.Errorf(postal.CodeInvalid, "invalid metadata key %q", k)
		}
		if !validMetaValue(v) {
			return postal.Errorf(postal.CodeInvalid, "invalid value for metadata key %q", k)
		}
	}
	return nil
}

// validMetaKey keeps keys to what survives HTTP headers and proxies intact.
func validMetaKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// validMetaValue accepts printable ASCII without edge spaces: S3 carries
// metadata in headers, which mangle anything else.
func validMetaValue(v string) bool {
	for _, c := range v {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return strings.TrimSpace(v) == v
}

// Get opens the object at key. The caller must close the body, and must read
// it within the Store's timeout, which also bounds the transfer.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	ctx, cancel := s.withTimeout(ctx)
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		cancel()
		return nil, Object{}, classify("get", err)
	}
	info, err := obj.Stat() // sends the GET and reads the response headers
	if err != nil {
		obj.Close()
		cancel()
		return nil, Object{}, classify("get", err)
	}
	return &body{ReadCloser: obj, cancel: cancel}, toObject(info), nil
}

// body releases the call's context when the caller closes it.
type body struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the object and ends its call.
func (b *body) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}

// Stat returns the object at key without its data.
func (s *Store) Stat(ctx context.Context, key string) (Object, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, classify("stat", err)
	}
	return toObject(info), nil
}

func toObject(info minio.ObjectInfo) Object {
	meta := make(map[string]string, len(info.UserMetadata))
	for k, v := range info.UserMetadata {
		meta[strings.ToLower(k)] = v
	}
	sum := meta[shaKey]
	delete(meta, shaKey)
	return Object{
		Key:          info.Key,
		Size:         info.Size,
		ContentType:  info.ContentType,
		SHA256:       sum,
		Meta:         meta,
		LastModified: info.LastModified.UTC(),
	}
}

// PresignGet returns a URL that lets anyone holding it GET the object at key
// for ttl, which must be from 1 s (S3 counts whole seconds) to MaxPresignTTL.
// It signs locally; it neither reaches the server nor checks that the object
// exists.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration) (*url.URL, error) {
	if ttl < time.Second || ttl > MaxPresignTTL {
		return nil, postal.Errorf(postal.CodeInvalid, "link lifetime must be between 1s and %s", MaxPresignTTL)
	}
	if key == "" {
		return nil, postal.Invalid("object key is required")
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, nil)
	if err != nil {
		return nil, classify("presign", err)
	}
	return u, nil
}
