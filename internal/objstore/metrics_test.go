package objstore_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"dakiya/internal/objstore"
)

// TestErrorsCounted: a real gateway's answers, a missing object included,
// count no error; an object store answering 503 counts server errors by
// operation, every retry included; one that refuses the credentials counts
// denied; an address nobody listens on counts transport errors.
func TestErrorsCounted(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.Put(ctx, "proofs/a.jpg", []byte("abc"), "image/jpeg", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Stat(ctx, "proofs/missing.jpg"); err == nil {
		t.Fatal("stat of a missing object succeeded")
	}
	if n := total(t, st); n != 0 {
		t.Fatalf("%v errors counted after a healthy put and a missing stat, want 0", n)
	}

	var status atomic.Int32
	status.Store(http.StatusServiceUnavailable)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(int(status.Load()))
	}))
	defer fake.Close()
	bad, err := objstore.New(objstore.Config{Endpoint: fake.URL, AccessKey: "a", SecretKey: "b", Bucket: "proofs", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Put(ctx, "proofs/b.jpg", []byte("abc"), "image/jpeg", nil); err == nil {
		t.Fatal("put to a failing store succeeded")
	}
	if n := testutil.ToFloat64(counter(bad, "put", "server")); n < 1 {
		t.Fatalf("server errors counted for put: %v", n)
	}
	status.Store(http.StatusForbidden)
	if err := bad.Ping(ctx); err == nil {
		t.Fatal("ping of a refusing store succeeded")
	}
	if n := testutil.ToFloat64(counter(bad, "head_bucket", "denied")); n != 1 {
		t.Fatalf("denied errors counted for the bucket check: %v, want 1", n)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	down, err := objstore.New(objstore.Config{Endpoint: "http://" + addr, AccessKey: "a", SecretKey: "b", Bucket: "proofs", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := down.Stat(ctx, "proofs/a.jpg"); err == nil {
		t.Fatal("stat on a closed port succeeded")
	}
	if n := testutil.ToFloat64(counter(down, "stat", "transport")); n < 1 {
		t.Fatalf("transport errors counted for stat: %v", n)
	}
}

func counter(st *objstore.Store, op, kind string) prometheus.Counter {
	return st.Collector().WithLabelValues(op, kind)
}

// total sums every series of the store's error counter.
func total(t *testing.T, st *objstore.Store) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(st.Collector())
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range families {
		for _, m := range f.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}
