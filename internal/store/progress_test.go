package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestProgress: a slot's progress counts each stop by its outcome on the
// manifest, takes the postman's position from their latest outcome that
// has one (the fix's time when sent), and their last sync from their
// latest outcome or proof.
func TestProgress(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 3)
		ctx := context.Background()
		read := func() []progressRow {
			t.Helper()
			list, err := db.Progress(ctx, "dc-one", "2026-11-25", postal.SlotEvening)
			if err != nil {
				t.Fatal(err)
			}
			var out []progressRow
			for _, m := range list {
				row := progressRow{postman: m.PostmanID, stops: len(m.Stops), end: m.WindowEnd}
				for _, s := range m.Stops {
					if s.Outcome != "" {
						row.done++
					}
				}
				if m.LastSync != nil {
					row.sync = *m.LastSync
				}
				if m.Position != nil {
					row.lat, row.at = m.Position.Lat, m.Position.At
				}
				out = append(out, row)
			}
			return out
		}
		before := read()
		if len(before) != 1 || before[0].postman != r.PostmanA.UserID || before[0].stops != 3 || before[0].done != 0 ||
			!before[0].sync.IsZero() || before[0].lat != 0 || before[0].end.IsZero() {
			t.Fatalf("before any outcome: %+v", before)
		}
		fix := r.Clock.Now().Add(-30 * time.Second)
		located := r.outcome(holding(t, db, r.ids[0]), "d-1")
		located.Delivery.Location = &delivery.Location{Lat: 12.93, Lon: 77.62, AccuracyM: 9, FixAt: &fix}
		if err := db.RecordOutcome(ctx, located); err != nil {
			t.Fatal(err)
		}
		r.Clock.Advance(time.Minute)
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[1]), "d-2")); err != nil { // no location
			t.Fatal(err)
		}
		r.Clock.Advance(time.Minute)
		pid := uuid.NewString()
		if err := db.InsertProof(ctx, proof.Meta{ID: pid, ArticleID: r.ids[2], DCID: "dc-one", PostmanID: r.PostmanA.UserID,
			Kind: proof.KindPhoto, ObjectKey: "proofs/" + pid + ".jpg", ContentType: "image/jpeg", Size: 1,
			SHA256: "00", Width: 1, Height: 1, IdempotencyKey: pid, CreatedAt: r.Clock.Now()}, proof.MaxPerArticle, idem.Completion{}); err != nil {
			t.Fatal(err)
		}
		after := read()[0]
		if after.done != 2 || after.stops != 3 || after.lat != 12.93 || !after.at.Equal(fix) || !after.sync.Equal(r.Clock.Now()) {
			t.Fatalf("after two outcomes and a proof: %+v (fix %s, now %s)", after, fix, r.Clock.Now())
		}
		if list, err := db.Progress(ctx, "dc-one", "2026-11-25", postal.SlotMorning); err != nil || len(list) != 0 {
			t.Fatalf("another slot: %v %v", list, err)
		}
	})
}

type progressRow struct {
	postman     string
	stops, done int
	end, sync   time.Time
	lat         float64
	at          time.Time
}
