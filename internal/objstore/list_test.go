package objstore_test

import (
	"bytes"
	"io"
	"slices"
	"testing"
	"time"

	"dakiya/internal/objstore"
	"dakiya/internal/postal"
)

func listKeys(t *testing.T, st *objstore.Store, prefix string, olderThan time.Time) []string {
	t.Helper()
	var keys []string
	for obj, err := range st.List(t.Context(), prefix, olderThan) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if obj.LastModified.IsZero() || obj.Size == 0 {
			t.Fatalf("listed object %+v lacks its time or size", obj)
		}
		keys = append(keys, obj.Key)
	}
	return keys
}

func TestListAndDelete(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	for _, key := range []string{"proofs/dc-two/b.png", "proofs/dc-one/2026/11/25/a.jpg", "proofs/dc-one/2026/11/24/z.jpg", "other/c.jpg"} {
		put(t, st, key, []byte("bytes of "+key))
	}
	later := time.Now().Add(time.Hour)
	want := []string{"proofs/dc-one/2026/11/24/z.jpg", "proofs/dc-one/2026/11/25/a.jpg", "proofs/dc-two/b.png"}
	if got := listKeys(t, st, "proofs/", later); !slices.Equal(got, want) {
		t.Fatalf("List(proofs/) = %v, want %v in key order", got, want)
	}
	if got := listKeys(t, st, "proofs/", time.Now().Add(-time.Hour)); len(got) != 0 {
		t.Fatalf("List(older than an hour ago) = %v, want none", got)
	}
	for range st.List(t.Context(), "proofs/", later) {
		break // stopping early must not hang or leak
	}

	if err := st.Delete(t.Context(), "proofs/dc-two/b.png"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := st.Delete(t.Context(), "proofs/dc-two/b.png"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	wantCode(t, st.Delete(t.Context(), ""), postal.CodeInvalid)
	if got := listKeys(t, st, "proofs/", later); !slices.Equal(got, want[:2]) {
		t.Fatalf("after Delete: %v, want %v", got, want[:2])
	}
	// A deleted key may be written again, which is why only orphans, whose
	// keys no row names, are ever deleted.
	put(t, st, "proofs/dc-two/b.png", []byte("again"))
}

func TestBlobs(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	b := st.Blobs()
	data := []byte("proof through the plain view")
	if err := b.Put(t.Context(), "proofs/p.jpg", data, "image/jpeg", map[string]string{"kind": "photo"}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	wantCode(t, b.Put(t.Context(), "proofs/p.jpg", []byte("other"), "image/jpeg", nil), postal.CodeConflict)
	body, err := b.Open(t.Context(), "proofs/p.jpg")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	got, err := io.ReadAll(body)
	body.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Open read %q, %v", got, err)
	}
	var keys []string
	for key, err := range b.Keys(t.Context(), "proofs/", time.Now().Add(time.Hour)) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	if !slices.Equal(keys, []string{"proofs/p.jpg"}) {
		t.Fatalf("Keys = %v", keys)
	}
	if _, err := b.PresignGet(t.Context(), "proofs/p.jpg", objstore.MaxPresignTTL); err != nil {
		t.Fatalf("PresignGet: %v", err)
	}
	if err := b.Delete(t.Context(), "proofs/p.jpg"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = b.Open(t.Context(), "proofs/p.jpg")
	wantCode(t, err, postal.CodeNotFound)
}

func TestListAndDeleteUnreachable(t *testing.T) {
	t.Parallel()
	st, err := objstore.New(objstore.Config{Endpoint: "http://" + closedAddr(t), AccessKey: "a", SecretKey: "s", Bucket: "proofs", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range st.List(t.Context(), "proofs/", time.Now()) {
		n++
		wantCode(t, err, postal.CodeUnavailable)
	}
	if n != 1 {
		t.Fatalf("List yielded %d times, want one error", n)
	}
	wantCode(t, st.Delete(t.Context(), "proofs/a.jpg"), postal.CodeUnavailable)
}
