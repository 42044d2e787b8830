package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/objstore"
	"dakiya/internal/postal"
	"dakiya/internal/testkit"
)

// newStore starts a gateway for t and returns a Store on its bucket, created.
func newStore(t *testing.T) *objstore.Store {
	t.Helper()
	srv := testkit.S3(t)
	st, err := objstore.New(config(srv))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := st.EnsureBucket(t.Context()); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	return st
}

func config(srv testkit.S3Server) objstore.Config {
	return objstore.Config{
		Endpoint:  srv.Endpoint,
		AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey,
		Bucket:    srv.Bucket,
	}
}

func put(t *testing.T, st *objstore.Store, key string, data []byte) objstore.Object {
	t.Helper()
	if err := st.Put(t.Context(), key, data, "image/jpeg", nil); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
	obj, err := st.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat(%s): %v", key, err)
	}
	return obj
}

func wantCode(t *testing.T, err error, want postal.Code) {
	t.Helper()
	if got := postal.ErrorCode(err); err == nil || got != want {
		t.Fatalf("error = %v (code %q), want code %q", err, got, want)
	}
}

// classified returns the *postal.Error in err's chain.
func classified(t *testing.T, err error) *postal.Error {
	t.Helper()
	var e *postal.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not classified with a postal code", err)
	}
	return e
}

func readAll(t *testing.T, st *objstore.Store, key string) ([]byte, objstore.Object) {
	t.Helper()
	body, obj, err := st.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%s): %v", key, err)
	}
	defer body.Close()
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return data, obj
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := objstore.Config{Endpoint: "http://127.0.0.1:9000", AccessKey: "a", SecretKey: "s", Bucket: "proofs"}
	tests := []struct {
		name   string
		change func(*objstore.Config)
	}{
		{"empty endpoint", func(c *objstore.Config) { c.Endpoint = "" }},
		{"bad scheme", func(c *objstore.Config) { c.Endpoint = "ftp://127.0.0.1:9000" }},
		{"no scheme", func(c *objstore.Config) { c.Endpoint = "127.0.0.1:9000" }},
		{"no host", func(c *objstore.Config) { c.Endpoint = "http://" }},
		{"path", func(c *objstore.Config) { c.Endpoint = "http://127.0.0.1:9000/proofs" }},
		{"unparsable", func(c *objstore.Config) { c.Endpoint = "http://[::1" }},
		{"empty bucket", func(c *objstore.Config) { c.Bucket = "" }},
		{"invalid bucket", func(c *objstore.Config) { c.Bucket = "Bad_Bucket" }},
		{"no access key", func(c *objstore.Config) { c.AccessKey = "" }},
		{"no secret key", func(c *objstore.Config) { c.SecretKey = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			if _, err := objstore.New(cfg); err == nil {
				t.Fatalf("New(%+v) succeeded, want an error", cfg)
			}
		})
	}
	for _, endpoint := range []string{"http://127.0.0.1:9000", "https://s3.example.com/"} {
		cfg := good
		cfg.Endpoint = endpoint
		if _, err := objstore.New(cfg); err != nil {
			t.Errorf("New(%s): %v", endpoint, err)
		}
	}
}

func TestEnsureBucketTwice(t *testing.T) {
	t.Parallel()
	srv := testkit.S3(t)
	st, err := objstore.New(config(srv))
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, st.Ping(t.Context()), postal.CodeNotFound)
	for i := range 2 {
		if err := st.EnsureBucket(t.Context()); err != nil {
			t.Fatalf("EnsureBucket #%d: %v", i+1, err)
		}
	}
	if err := st.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestPutGetStat(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	data := []byte("\xff\xd8\xff\xe0 not really a jpeg \x00\x01\x02")
	key := "proofs/DL110001/2026/03/14/EE123456789IN/p1.jpg"
	meta := map[string]string{"article": "EE123456789IN", "proof-id": "p1", "note": "front door, blue gate"}
	sum := sha256.Sum256(data)
	before := time.Now().Add(-time.Minute)

	if err := st.Put(t.Context(), key, data, "image/jpeg", meta); err != nil {
		t.Fatalf("Put: %v", err)
	}
	created, err := st.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	want := objstore.Object{
		Key: key, Size: int64(len(data)), ContentType: "image/jpeg",
		SHA256: hex.EncodeToString(sum[:]), Meta: meta, LastModified: created.LastModified,
	}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("stored object (-want +got):\n%s", diff)
	}
	if created.LastModified.Before(before) || created.LastModified.Location() != time.UTC {
		t.Errorf("LastModified = %v, want recent UTC", created.LastModified)
	}

	got, gotObj := readAll(t, st, key)
	if !bytes.Equal(got, data) {
		t.Errorf("Get bytes = %q, want %q", got, data)
	}
	if diff := cmp.Diff(want, gotObj); diff != "" {
		t.Errorf("Get object (-want +got):\n%s", diff)
	}
	stat, err := st.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if diff := cmp.Diff(want, stat); diff != "" {
		t.Errorf("Stat object (-want +got):\n%s", diff)
	}
}

func TestPutIsWriteOnce(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	key := "proofs/x/p2.png"
	original := []byte("original proof bytes")
	first := put(t, st, key, original)

	t.Run("same bytes succeed and change nothing", func(t *testing.T) {
		if err := st.Put(t.Context(), key, original, "image/jpeg", map[string]string{"retry": "1"}); err != nil {
			t.Fatalf("Put again: %v", err)
		}
		again, err := st.Stat(t.Context(), key)
		if err != nil {
			t.Fatalf("Stat: %v", err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("retried Put (-first +again):\n%s", diff)
		}
	})
	t.Run("different bytes conflict", func(t *testing.T) {
		err := st.Put(t.Context(), key, []byte("forged proof"), "image/jpeg", nil)
		wantCode(t, err, postal.CodeConflict)
		if got, _ := readAll(t, st, key); !bytes.Equal(got, original) {
			t.Errorf("after conflict the object holds %q, want %q", got, original)
		}
	})
}

func TestConcurrentPutsHaveOneWinner(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	const writers = 8
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			errs[i] = st.Put(t.Context(), "proofs/race.jpg", []byte{byte(i)}, "image/jpeg", nil)
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner == -1:
			winner = i
		case err == nil:
			t.Fatalf("writers %d and %d both succeeded", winner, i)
		default:
			wantCode(t, err, postal.CodeConflict)
		}
	}
	if got, _ := readAll(t, st, "proofs/race.jpg"); winner < 0 || !bytes.Equal(got, []byte{byte(winner)}) {
		t.Fatalf("stored %v, winner %d", got, winner)
	}
}

func TestPutRejectsBadInput(t *testing.T) {
	t.Parallel()
	st, err := objstore.New(objstore.Config{Endpoint: "http://127.0.0.1:1", AccessKey: "a", SecretKey: "s", Bucket: "proofs"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
		meta map[string]string
	}{
		{"empty key", "", nil},
		{"reserved meta key", "k", map[string]string{"sha256": "00"}},
		{"upper-case meta key", "k", map[string]string{"Article": "x"}},
		{"meta key with underscore", "k", map[string]string{"proof_id": "x"}},
		{"non-ASCII meta value", "k", map[string]string{"note": "डाक"}},
		{"meta value with newline", "k", map[string]string{"note": "a\nb"}},
		{"meta value with edge space", "k", map[string]string{"note": " a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := st.Put(t.Context(), tt.key, []byte("x"), "image/png", tt.meta)
			wantCode(t, err, postal.CodeInvalid)
		})
	}
}

func TestMissingKeyIsNotFound(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	t.Run("get", func(t *testing.T) {
		body, _, err := st.Get(t.Context(), "proofs/missing.jpg")
		if body != nil {
			body.Close()
		}
		wantCode(t, err, postal.CodeNotFound)
	})
	t.Run("stat", func(t *testing.T) {
		_, err := st.Stat(t.Context(), "proofs/missing.jpg")
		wantCode(t, err, postal.CodeNotFound)
	})
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentAddr returns a loopback address that accepts connections and never
// answers, like a hung server.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	return l.Addr().String()
}

func TestUnreachableIsUnavailable(t *testing.T) {
	t.Parallel()
	const timeout = 2 * time.Second
	servers := map[string]string{"refused": closedAddr(t), "silent": silentAddr(t)}
	calls := map[string]func(context.Context, *objstore.Store) error{
		"put": func(ctx context.Context, st *objstore.Store) error {
			err := st.Put(ctx, "proofs/a.jpg", []byte("x"), "image/jpeg", nil)
			return err
		},
		"ping":          func(ctx context.Context, st *objstore.Store) error { return st.Ping(ctx) },
		"ensure bucket": func(ctx context.Context, st *objstore.Store) error { return st.EnsureBucket(ctx) },
		"stat": func(ctx context.Context, st *objstore.Store) error {
			_, err := st.Stat(ctx, "proofs/a.jpg")
			return err
		},
	}
	for server, addr := range servers {
		st, err := objstore.New(objstore.Config{Endpoint: "http://" + addr, AccessKey: "a", SecretKey: "s", Bucket: "proofs", Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		for name, call := range calls {
			t.Run(server+"/"+name, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				err := call(t.Context(), st)
				if took := time.Since(start); took > timeout+time.Second {
					t.Errorf("took %s, want under %s", took, timeout+time.Second)
				}
				wantCode(t, err, postal.CodeUnavailable)
				if e := classified(t, err); e.RetryAfter <= 0 || e.Message != "object store unavailable" {
					t.Errorf("error = %+v, want RetryAfter and the outage message", e)
				}
			})
		}
	}
}

func TestWrongSecretIsNotUnavailable(t *testing.T) {
	t.Parallel()
	srv := testkit.S3(t)
	good, err := objstore.New(config(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := good.EnsureBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	cfg := config(srv)
	cfg.SecretKey += "x"
	st, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, err error) {
		t.Helper()
		wantCode(t, err, postal.CodeInternal)
		if e := classified(t, err); !strings.Contains(e.Message, "credentials") {
			t.Errorf("message = %q, want it to name the credentials", e.Message)
		}
	}
	t.Run("ping", func(t *testing.T) { check(t, st.Ping(t.Context())) })
	t.Run("put", func(t *testing.T) {
		err := st.Put(t.Context(), "proofs/a.jpg", []byte("x"), "image/jpeg", nil)
		check(t, err)
	})
}
