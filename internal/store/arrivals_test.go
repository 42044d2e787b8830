package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/article"
	"dakiya/internal/forecast"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestArrivalsRollup counts received_at_dc events in their transaction:
// a batch of bookings (booked and received at once) and a partner's
// booked article received later, by the centre's local date and hour.
func TestArrivalsRollup(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 18, 40, 0, 0, time.UTC) // 00:10 IST on the 24th
		c := testkit.NewCentre(t, db, now)
		c.Book(t, testkit.ArticleSpec{Serial: 1}, testkit.ArticleSpec{Serial: 2}, testkit.ArticleSpec{Serial: 3, Service: postal.ServiceParcel})

		id := "EE000000005IN"
		later := now.Add(9 * time.Hour) // 09:10 IST
		a := article.Article{ID: id, DCID: "dc-one", Service: postal.ServiceParcel, Status: article.StatusBooked,
			SlotPreference: postal.SlotMorning, CreatedAt: now, UpdatedAt: now}
		booked := article.Event{Seq: 1, Event: article.EventBooked, Status: article.StatusBooked, At: now}
		if _, err := db.InsertArticles(ctx, []article.Article{a}, [][]article.Event{{booked}}, nil); err != nil {
			t.Fatal(err)
		}
		recv := article.Event{Event: article.EventReceivedAtDC, Status: article.StatusAtDC, At: later}
		if err := db.AppendEvent(ctx, id, article.StatusBooked, recv, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.Arrivals(ctx, "dc-one", "2026-11-01", "2026-11-30")
		if err != nil {
			t.Fatal(err)
		}
		want := []forecast.Arrival{
			{Date: "2026-11-24", Hour: 0, Service: "parcel", Count: 1},
			{Date: "2026-11-24", Hour: 0, Service: "registered", Count: 2},
			{Date: "2026-11-24", Hour: 9, Service: "parcel", Count: 1},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("arrivals (-want +got):\n%s", d)
		}
		// A refused move records no event and counts nothing.
		if err := db.AppendEvent(ctx, id, article.StatusBooked, recv, nil); err == nil {
			t.Fatal("a second receipt from booked: want a conflict")
		}
		if err := db.ImportArrivals(ctx, "dc-one", []forecast.Arrival{{Date: "2026-11-24", Hour: 9, Service: "parcel", Count: 40}}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Arrivals(ctx, "dc-one", "2026-11-24", "2026-11-24")
		if len(got) != 3 || got[2].Count != 41 {
			t.Errorf("after import: %+v", got)
		}
		if other, _ := db.Arrivals(ctx, "dc-two", "2026-11-01", "2026-11-30"); len(other) != 0 {
			t.Errorf("dc-two: %+v", other)
		}
	})
}

func TestFestivalsStore(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		defaults := []forecast.Festival{{ID: "f1", Date: "2026-11-08", Name: "Diwali", Before: 10, After: 2}}
		if ok, err := db.LoadFestivals(ctx, defaults, now); err != nil || !ok {
			t.Fatalf("first load: %v %v", ok, err)
		}
		if err := db.DeleteFestival(ctx, "f1"); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.LoadFestivals(ctx, defaults, now); err != nil || ok {
			t.Fatalf("second load: %v %v", ok, err)
		}
		f := forecast.Festival{ID: "f2", Date: "2026-12-25", Name: "Christmas", Before: 7, After: 1}
		if err := db.CreateFestival(ctx, f, now); err != nil {
			t.Fatal(err)
		}
		f.ID = "f3"
		if err := db.CreateFestival(ctx, f, now); postal.ErrorCode(err) != postal.CodeConflict {
			t.Errorf("the same name and date twice: %v", err)
		}
		f.ID, f.Region = "f2", "Kerala"
		if err := db.UpdateFestival(ctx, f, now); err != nil {
			t.Fatal(err)
		}
		all, err := db.Festivals(ctx)
		if err != nil || len(all) != 1 || all[0].Region != "Kerala" {
			t.Errorf("festivals %+v %v", all, err)
		}
		if _, err := db.Festival(ctx, "f1"); postal.ErrorCode(err) != postal.CodeNotFound {
			t.Errorf("deleted festival: %v", err)
		}
		if err := db.UpdateFestival(ctx, forecast.Festival{ID: "nope"}, now); postal.ErrorCode(err) != postal.CodeNotFound {
			t.Errorf("update of none: %v", err)
		}
	})
}
