package store_test

import (
	"context"
	"testing"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

func TestMigrateIsIdempotent(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		n, err := db.Migrate(context.Background(), time.Now())
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d (%v), want 0", n, err)
		}
		ms, err := store.Migrations()
		if err != nil || len(ms) == 0 {
			t.Fatalf("migrations: %v %v", ms, err)
		}
		var recorded int
		if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM schema_migrations").Scan(&recorded); err != nil {
			t.Fatal(err)
		}
		mine := 0
		for _, m := range ms {
			if m.For(db.Dialect()) {
				mine++
			}
		}
		if recorded != mine {
			t.Fatalf("recorded %d migrations, embedded %d", recorded, mine)
		}
	})
}

func TestConcurrentMigrate(t *testing.T) {
	// Replicas starting together must not trip over each other.
	db := testkit.Postgres(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() { _, err := db.Migrate(context.Background(), time.Now()); errs <- err }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	_, err := store.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if !postal.IsCode(err, postal.CodeUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if _, err := store.Open(context.Background(), "mysql://x"); err == nil {
		t.Fatal("an unknown dsn was accepted")
	}
}

func TestAppendEventConflict(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
		if err := db.CreateDC(ctx, centre.DC{ID: "dc", Name: "DC", Address: "a", PIN: "560034", Lat: 12.9, Lon: 77.6,
			TimeZone: "Asia/Kolkata", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		a := article.Article{ID: "EE123456785IN", DCID: "dc", Service: postal.ServiceParcel, Status: article.StatusAtDC,
			Recipient:   article.Recipient{Name: "n", Phone: "+919845012345", Address: "a", PIN: "560034"},
			ContentHash: "h", CreatedAt: now, UpdatedAt: now}
		out, err := db.InsertArticles(ctx, []article.Article{a}, [][]article.Event{{{Seq: 1, Event: article.EventBooked, Status: article.StatusBooked, At: now, Place: "DC"}}}, nil)
		if err != nil || out[0] != article.Created {
			t.Fatalf("insert: %v %v", out, err)
		}
		e := article.Event{Event: article.EventHeldAtCounter, Status: article.StatusHeld, At: now, Place: "DC"}
		if err := db.AppendEvent(ctx, a.ID, article.StatusAtDC, e, nil); err != nil {
			t.Fatal(err)
		}
		// A second writer that read the old status loses.
		if err := db.AppendEvent(ctx, a.ID, article.StatusAtDC, e, nil); !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("stale append: %v, want conflict", err)
		}
		evs, err := db.Events(ctx, a.ID)
		if err != nil || len(evs) != 2 || evs[1].Seq != 2 || evs[1].Code != "EDH" {
			t.Fatalf("events: %+v %v", evs, err)
		}
		sched := &article.Schedule{Date: "2026-11-26", Slot: postal.SlotEvening}
		e = article.Event{Event: article.EventRescheduled, Status: article.StatusScheduled, At: now, Place: "DC"}
		if err := db.AppendEvent(ctx, a.ID, article.StatusHeld, e, sched); err != nil {
			t.Fatal(err)
		}
		got, err := db.Article(ctx, a.ID)
		if err != nil || got.Status != article.StatusScheduled || got.Schedule == nil || *got.Schedule != *sched {
			t.Fatalf("article after reschedule: %+v %v", got, err)
		}
	})
}
