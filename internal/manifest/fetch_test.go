package manifest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// gunzip decompresses b or fails the test.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fetch is one Fetch with the statements it sent.
func fetch(t *testing.T, db *store.DB, svc *manifest.Service, p postal.Principal, id, have string) (manifest.Fetched, int64) {
	t.Helper()
	before := db.SQLCount()
	f, err := svc.Fetch(context.Background(), p, id, have)
	if err != nil {
		t.Fatalf("fetch %s by %s: %v", id, p.Username, err)
	}
	return f, db.SQLCount() - before
}

// TestFetchAcrossReplicas fetches a dispatched manifest through two
// services on one database, as two replicas with their own caches: each
// fetch is one statement, the stored gzip is the JSON's, and a version
// amended on one replica is what the other serves next, never its cached
// one. Who may see it is Get's rule.
func TestFetchAcrossReplicas(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		ids := f.evening(t,
			testkit.ArticleSpec{Serial: 51000001, Address: "No. 3, Lake View", Lat: 12.94, Lon: 77.63},
			testkit.ArticleSpec{Serial: 51000002, Address: "No. 9, Hill Road", Lat: 12.941, Lon: 77.631},
			testkit.ArticleSpec{Serial: 51000003, Address: "No. 12, Hill Road", Lat: 12.942, Lon: 77.632},
		)
		res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		id := byBeat(t, res, "beat-a").ID
		if _, err := f.svc.Dispatch(ctx, f.Supervisor, id); err != nil {
			t.Fatal(err)
		}
		replicaA, replicaB := newService(f), newService(f)
		stored, err := f.svc.Get(ctx, f.Supervisor, id)
		if err != nil {
			t.Fatal(err)
		}

		first, n := fetch(t, db, replicaA, f.PostmanA, id, "")
		if n != 1 || first.ETag != stored.ETag || first.ETag != manifest.ETagOf(first.Body) || !bytes.Equal(first.Body, stored.Body) {
			t.Fatalf("first fetch: %d statements, etag %s (stored %s)", n, first.ETag, stored.ETag)
		}
		if !bytes.Equal(gunzip(t, first.Gzip), first.Body) {
			t.Fatal("the stored gzip is not the JSON's")
		}
		again, n := fetch(t, db, replicaA, f.PostmanA, id, "")
		if n != 1 || again.ETag != first.ETag || !bytes.Equal(again.Body, first.Body) || !bytes.Equal(again.Gzip, first.Gzip) {
			t.Fatalf("cached fetch: %d statements, etag %s", n, again.ETag)
		}
		// A replica that has not served it reads no body for a phone that has it.
		known, n := fetch(t, db, replicaB, f.PostmanA, id, first.ETag)
		if n != 1 || known.ETag != first.ETag || known.Body != nil {
			t.Fatalf("known version: %d statements, etag %s, %d bytes", n, known.ETag, len(known.Body))
		}

		if _, err := replicaB.Amend(ctx, f.Supervisor, id, manifest.Amendment{Remove: []string{ids[0]}}); err != nil {
			t.Fatal(err)
		}
		next, n := fetch(t, db, replicaA, f.PostmanA, id, first.ETag)
		if n != 1 || next.ETag == first.ETag || bytes.Contains(next.Body, []byte(ids[0])) || !bytes.Contains(next.Body, []byte(ids[1])) {
			t.Fatalf("after the amendment on the other replica: %d statements, etag %s, %s", n, next.ETag, next.Body)
		}
		if !bytes.Equal(gunzip(t, next.Gzip), next.Body) || next.ETag != manifest.ETagOf(next.Body) {
			t.Fatal("the amended version's gzip or ETag is not its JSON's")
		}

		for _, p := range []postal.Principal{f.PostmanB, f.Supervisor2} {
			if _, err := replicaA.Fetch(ctx, p, id, ""); !postal.IsCode(err, postal.CodeNotFound) {
				t.Fatalf("%s fetched another's manifest: %v", p.Username, err)
			}
			if _, err := replicaA.Fetch(ctx, p, id, next.ETag); !postal.IsCode(err, postal.CodeNotFound) {
				t.Fatalf("%s learnt another's manifest is current: %v", p.Username, err)
			}
		}
		for _, p := range []postal.Principal{f.Supervisor, f.Admin} {
			if got, _ := fetch(t, db, replicaA, p, id, ""); got.ETag != next.ETag {
				t.Fatalf("%s: etag %s", p.Username, got.ETag)
			}
		}
		if _, err := replicaA.Fetch(ctx, f.PostmanA, "nope", ""); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("unknown manifest: %v", err)
		}
	})
}

// TestFetchOfAnOldRow serves a manifest stored before its gzip was kept:
// the first fetch compresses it and stores the result, so the next
// replica's fetch reads it back with its one statement.
func TestFetchOfAnOldRow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		body := []byte(`{"id":"m-old","stops":[]}`)
		old := manifest.Record{Summary: manifest.Summary{ID: "m-old", Version: 1, DCID: "dc-one", BeatID: "beat-a",
			PostmanID: f.PostmanA.UserID, Date: day, Slot: postal.SlotEvening, Status: manifest.StatusDispatched},
			Body: body, ETag: manifest.ETagOf(body), At: f.Clock.Now()} // no Gzip: as rows were written
		if err := db.SaveDraft(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		got, n := fetch(t, db, newService(f), f.PostmanA, "m-old", "")
		if n != 2 || !bytes.Equal(got.Body, body) || !bytes.Equal(gunzip(t, got.Gzip), body) || got.ETag != old.ETag {
			t.Fatalf("old row: %d statements, %s", n, got.Body)
		}
		again, n := fetch(t, db, manifest.New(db, f.Clock.Now, uuid.NewString, manifest.Options{CacheBytes: -1}), f.PostmanA, "m-old", "")
		if n != 1 || !bytes.Equal(again.Gzip, got.Gzip) {
			t.Fatalf("backfilled row: %d statements", n)
		}
	})
}

// TestFetchWithoutCache keeps nothing in memory: every fetch reads its
// body, still one statement.
func TestFetchWithoutCache(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		f.evening(t, testkit.ArticleSpec{Serial: 52000001, Address: "No. 5, Lake View", Lat: 12.94, Lon: 77.63})
		res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		id := byBeat(t, res, "beat-a").ID
		svc := manifest.New(db, f.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 50 * time.Millisecond, CacheBytes: -1})
		for range 2 {
			if got, n := fetch(t, db, svc, f.Supervisor, id, ""); n != 1 || got.Body == nil {
				t.Fatalf("uncached fetch: %d statements, %d bytes", n, len(got.Body))
			}
		}
	})
}
