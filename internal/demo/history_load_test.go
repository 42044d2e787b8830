package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"dakiya/assets"
	"dakiya/internal/demo"
	"dakiya/internal/forecast"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestLoadImportsHistory: the demo writes each centre's generated year
// into the arrivals rollup, ending the day before the clock's date, on
// top of the arrivals its own bookings counted today.
func TestLoadImportsHistory(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		now := func() time.Time { return time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC) }
		fs, err := forecast.ReadFestivals(bytes.NewReader(assets.Festivals()))
		if err != nil {
			t.Fatal(err)
		}
		d := deps(t, db, now)
		d.Arrivals, d.Festivals = db, fs
		load(t, d)
		ctx := context.Background()
		for _, dc := range demo.HistoryCentres() {
			got, err := db.Arrivals(ctx, dc, "2000-01-01", "2026-11-23")
			if err != nil {
				t.Fatal(err)
			}
			want := demo.CentreHistory(dc, fs, "2026-11-24")
			if len(got) != len(want) || got[0].Date != "2025-11-24" || got[len(got)-1].Date != "2026-11-23" {
				t.Errorf("%s: %d rows from %s to %s, want %d", dc, len(got), got[0].Date, got[len(got)-1].Date, len(want))
			}
			today, _ := db.Arrivals(ctx, dc, "2026-11-24", "2026-11-24")
			if len(today) == 0 {
				t.Errorf("%s: the demo's own bookings counted no arrival today", dc)
			}
		}
	})
}
