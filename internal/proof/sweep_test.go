package proof_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"dakiya/internal/proof"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestSweeper moves the sweeper's clock, not the object store's: objects
// carry real LastModified times, so the clock starts at real time.
func TestSweeper(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		kept := f.upload(t, f.PostmanA, f.articles[0], proof.KindPhoto, prooftest.JPEG(12, 12, 1))
		orphan := "proofs/dc-one/" + time.Now().UTC().Format("2006/01/02") + "/" + f.articles[0] + "/0190f2a4-0000-7000-8000-000000000001.jpg"
		outside := "exports/2026/11/25/report.csv"
		for _, key := range []string{orphan, outside} {
			if err := f.objects.Put(ctx, key, []byte("no row names this"), "image/jpeg", nil); err != nil {
				t.Fatal(err)
			}
		}
		clock := testkit.NewClock(time.Now())
		sw := proof.NewSweeper(db, f.objects.Blobs(), clock.Now, discard())

		if n, err := sw.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("young orphan: swept %d, %v", n, err)
		}
		wantKeys(t, f, kept.ObjectKey, orphan)

		clock.Advance(proof.OrphanAge + time.Minute)
		if n, err := sw.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("day-old orphan: swept %d, %v", n, err)
		}
		wantKeys(t, f, kept.ObjectKey)
		if _, err := f.objects.Stat(ctx, outside); err != nil {
			t.Fatalf("an object outside %s was touched: %v", proof.Prefix, err)
		}

		young := strings.Replace(orphan, "000000000001", "000000000002", 1)
		if err := f.objects.Put(ctx, young, []byte("written just now"), "image/jpeg", nil); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Now().Add(proof.OrphanAge - time.Minute))
		if n, err := sw.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("orphan younger than a day: swept %d, %v", n, err)
		}
		wantKeys(t, f, kept.ObjectKey, young)
	})
}

// TestSweepLease runs two sweepers, as two replicas would, on one
// database: only the one holding the lease sweeps; it removes an orphan
// in a recent day folder and keeps a proof with its row; once its lease
// runs out without renewal, the other takes over.
func TestSweepLease(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		kept := f.upload(t, f.PostmanA, f.articles[0], proof.KindPhoto, prooftest.JPEG(12, 12, 1))
		clock := testkit.NewClock(time.Now().Add(proof.OrphanAge + time.Minute))
		folder := clock.Now().UTC().AddDate(0, 0, -1).Format("2006/01/02")
		orphan := "proofs/dc-one/" + folder + "/" + f.articles[0] + "/0190f2a4-0000-7000-8000-000000000009.jpg"
		if err := f.objects.Put(ctx, orphan, []byte("no row names this"), "image/jpeg", nil); err != nil {
			t.Fatal(err)
		}
		a := proof.NewSweeper(db, f.objects.Blobs(), clock.Now, discard()).WithLease("replica-a")
		b := proof.NewSweeper(db, f.objects.Blobs(), clock.Now, discard()).WithLease("replica-b")
		if ok, err := db.TakeLease(ctx, proof.SweepLease, "replica-a", clock.Now(), 2*proof.SweepEvery); err != nil || !ok {
			t.Fatalf("first lease: %v %v", ok, err)
		}
		if n, err := b.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("sweeper without the lease: swept %d, %v", n, err)
		}
		wantKeys(t, f, kept.ObjectKey, orphan)
		if n, err := a.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("lease holder: swept %d, %v", n, err)
		}
		wantKeys(t, f, kept.ObjectKey)
		if ok, _ := db.TakeLease(ctx, proof.SweepLease, "replica-b", clock.Now(), 2*proof.SweepEvery); ok {
			t.Fatal("b took a lease a holds")
		}
		clock.Advance(2*proof.SweepEvery + time.Second) // a stopped renewing
		if ok, err := db.TakeLease(ctx, proof.SweepLease, "replica-b", clock.Now(), 2*proof.SweepEvery); err != nil || !ok {
			t.Fatalf("b after a's lease ran out: %v %v", ok, err)
		}
		if ok, _ := db.TakeLease(ctx, proof.SweepLease, "replica-a", clock.Now(), 2*proof.SweepEvery); ok {
			t.Fatal("a took back b's lease")
		}
	})
}

func wantKeys(t *testing.T, f fix, want ...string) {
	t.Helper()
	got := listKeys(t, f.objects)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("objects %v, want %v", got, want)
	}
}

func TestSweeperStopsWithItsContext(t *testing.T) {
	db := testkit.DB(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		proof.NewSweeper(db, newObjects(t).Blobs(), time.Now, discard()).Run(ctx)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// TestBodyRefusesChangedBytes: a stored object that no longer matches its
// row fails at the end of the read instead of passing for evidence.
func TestBodyRefusesChangedBytes(t *testing.T) {
	f := newFix(t, testkit.DB(t))
	m := f.upload(t, f.PostmanA, f.articles[0], proof.KindPhoto, prooftest.JPEG(12, 12, 3))
	m.SHA256 = strings.Repeat("0", 64)
	body, err := f.svc.Body(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	if _, err := io.ReadAll(body); err == nil || !strings.Contains(err.Error(), "recorded") {
		t.Fatalf("read of a changed object: %v, want an error", err)
	}
}
