// Package objstore is the only code that speaks S3. It keeps proofs in one
// bucket through minio-go: write-once puts whose SHA-256 the server checks,
// reads, metadata, and short-lived presigned GET URLs for supervisors. Every
// failure leaves it classified with a postal code.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"dakiya/internal/postal"
)

// Defaults and limits.
const (
	// DefaultTimeout bounds each call when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultRegion is used when Config.Region is empty; it is what MinIO
	// and the Versity gateway assume.
	DefaultRegion = "us-east-1"

	dialTimeout = 3 * time.Second
	// maxAttempts caps minio-go's retries (it defaults to 10 with backoff),
	// so an outage is reported in seconds rather than after a long stall.
	maxAttempts = 3
)

// Config says where the bucket is and how to sign requests to it.
type Config struct {
	Endpoint  string // URL such as http://127.0.0.1:9000 or https://s3.example.com
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string        // DefaultRegion when empty
	Timeout   time.Duration // bounds each call, retries included; DefaultTimeout when zero
}

// Store reads and writes objects in one bucket.
type Store struct {
	client  *minio.Client
	bucket  string
	region  string
	timeout time.Duration
	// lock is set by ConfigureRetention when the bucket has object lock.
	lock atomic.Pointer[objectLock]
	errs *errorCounter
}

// New validates cfg and builds a Store. It does no network I/O; call Ping or
// EnsureBucket to reach the server.
func New(cfg Config) (*Store, error) {
	endpoint, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("objstore: bucket %q: %w", cfg.Bucket, err)
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("objstore: access key and secret key are required")
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	errs := newErrorCounter(newTransport(cfg.Timeout), cfg.Bucket)
	client, err := minio.New(endpoint.Host, &minio.Options{
		Creds:     credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:    endpoint.Scheme == "https",
		Region:    cfg.Region, // known region: no GetBucketLocation round trip
		Transport: errs,
		// Needed only so minio-go accepts our precomputed
		// x-amz-checksum-sha256 header; no trailer is ever sent because
		// multipart is disabled and the checksum is already set.
		TrailingHeaders: true,
		MaxRetries:      maxAttempts,
	})
	if err != nil {
		return nil, fmt.Errorf("objstore: new client: %w", err)
	}
	return &Store{client: client, bucket: cfg.Bucket, region: cfg.Region, timeout: cfg.Timeout, errs: errs}, nil
}

func parseEndpoint(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("objstore: endpoint is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("objstore: endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("objstore: endpoint %q: scheme must be http or https", raw)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("objstore: endpoint %q: want scheme://host[:port] only", raw)
	}
	return u, nil
}

// newTransport fails fast on an unreachable or silent server; the per-call
// context deadline bounds the whole call on top of this.
func newTransport(timeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = dialTimeout
	t.ResponseHeaderTimeout = timeout
	t.MaxIdleConnsPerHost = 16
	return t
}

// withTimeout bounds one call, minio-go's retries included.
func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// EnsureBucket creates the bucket if it is missing. An existing bucket is
// fine, and is checked first so that production credentials need no
// permission to create buckets.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return classify("ensure bucket", err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region})
	if hasCode(err, "BucketAlreadyOwnedByYou") {
		return nil // created concurrently by another replica
	}
	return classify("create bucket", err)
}

// Ping reports whether the server answers and the bucket exists, for the
// readiness probe. A missing bucket is a CodeNotFound error.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return classify("ping", err)
	}
	if !ok {
		err := fmt.Errorf("objstore: ping: bucket %q does not exist", s.bucket)
		return postal.Wrap(err, postal.CodeNotFound, "bucket not found")
	}
	return nil
}
