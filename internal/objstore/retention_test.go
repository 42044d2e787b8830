package objstore_test

import (
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"strings"

	"dakiya/internal/objstore"
	"dakiya/internal/testkit"
)

// TestRetentionDetection: on a bucket without object lock, proofs are
// written without retention; on one made with object lock, ConfigureRetention
// detects it and every Put is retained in COMPLIANCE mode until its
// retention runs out. The lifecycle rule is reported, set or refused,
// whichever the server does.
func TestRetentionDetection(t *testing.T) {
	srv := testkit.S3(t)
	now := func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	ctx := t.Context()

	plain, err := objstore.New(config(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	r := plain.ConfigureRetention(ctx, "proofs/", 400*24*time.Hour, now)
	t.Logf("bucket without object lock: %+v", r)
	if r.ObjectLock {
		t.Fatalf("object lock reported on a bucket made without it: %+v", r)
	}
	if !r.Lifecycle && r.LifecycleError == "" {
		t.Fatalf("the lifecycle rule neither set nor refused: %+v", r)
	}
	if err := plain.Put(ctx, "proofs/a.jpg", []byte("photo"), "image/jpeg", nil); err != nil {
		t.Fatalf("put without lock: %v", err)
	}
	if _, retained, err := plain.RetainedUntil(ctx, "proofs/a.jpg"); err != nil || retained {
		t.Fatalf("an object in a bucket without lock is retained: %v %v", retained, err)
	}

	// A bucket made with object lock, as deploy's MinIO makes it.
	client, err := minio.New(strings.TrimPrefix(srv.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""), Region: objstore.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	lockedName := srv.Bucket + "-locked"
	if err := client.MakeBucket(ctx, lockedName, minio.MakeBucketOptions{Region: objstore.DefaultRegion, ObjectLocking: true}); err != nil {
		t.Skipf("versitygw refuses a bucket with object lock (%v): only detection of its absence is tested", err)
	}
	cfg := config(srv)
	cfg.Bucket = lockedName
	locked, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r = locked.ConfigureRetention(ctx, "proofs/", 400*24*time.Hour, now)
	t.Logf("bucket with object lock: %+v", r)
	if !r.ObjectLock {
		t.Fatalf("object lock not detected on a bucket made with it: %+v", r)
	}
	if err := locked.Put(ctx, "proofs/b.jpg", []byte("photo"), "image/jpeg", nil); err != nil {
		t.Fatalf("put under lock: %v", err)
	}
	until, retained, err := locked.RetainedUntil(ctx, "proofs/b.jpg")
	if err != nil || !retained || !until.Equal(now().Add(400*24*time.Hour)) {
		t.Fatalf("retention of a locked put: %v %v %v, want until %v", until, retained, err, now().Add(400*24*time.Hour))
	}
	// WORM: the retained version cannot be removed.
	info, err := client.StatObject(ctx, lockedName, "proofs/b.jpg", minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = client.RemoveObject(ctx, lockedName, "proofs/b.jpg", minio.RemoveObjectOptions{VersionID: info.VersionID})
	if err == nil {
		t.Fatalf("a retained version (%q) was removed", info.VersionID)
	}
	t.Logf("removing the retained version: %v", err)
}
