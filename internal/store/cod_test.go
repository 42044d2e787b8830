package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dakiya/internal/cod"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestSettlementAfterClosingRefused: a plain settlement that runs while
// the slot's closing is being written must wait for it and be refused, not
// slip in behind a closing it did not see (PostgreSQL reads committed rows
// only, so checking first and inserting after is not enough on its own).
func TestSettlementAfterClosingRefused(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 18, 0, 0, 0, ist)
		c := testkit.NewCentre(t, db, now)
		entry := func(id string) cod.Settlement {
			return cod.Settlement{ID: id, DCID: "dc-one", PostmanID: c.PostmanA.UserID, Date: "2026-12-01",
				Slot: postal.SlotEvening, ExpectedCash: 5000, CashReceived: 5000, SettledBy: c.Supervisor.UserID, At: now}
		}
		if err := db.AddSettlement(ctx, entry("s-first"), idem.Completion{}); err != nil {
			t.Fatal(err)
		}

		// Another request closes the slot: it holds the closing's lock and
		// has written the closing, not yet committed.
		closing := busy.Begin(t)
		key := fmt.Sprintf("cod-closing:dc-one:%s:2026-12-01:%s", c.PostmanA.UserID, postal.SlotEvening)
		for _, stmt := range []string{
			fmt.Sprintf(`INSERT INTO limit_keys (key, touched_at) VALUES ('%s', 1)
				ON CONFLICT (key) DO UPDATE SET touched_at = excluded.touched_at`, key),
			fmt.Sprintf(`INSERT INTO cod_closings (dc_id, postman_id, date, slot, settlement_id, closed_by, closed_at)
				VALUES ('dc-one', '%s', '2026-12-01', '%s', 's-first', '%s', 1)`,
				c.PostmanA.UserID, postal.SlotEvening, c.Supervisor.UserID),
		} {
			if err := closing.Exec(stmt); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan error, 1)
		go func() { done <- db.AddSettlement(ctx, entry("s-late"), idem.Completion{}) }()
		time.Sleep(300 * time.Millisecond) // let the settlement reach the lock
		if err := closing.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("plain settlement racing the closing: got %v, want a conflict", err)
		}
		got, err := db.Settlements(ctx, "dc-one", "2026-12-01", postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != "s-first" {
			t.Fatalf("settlements after the race: %+v, want only s-first", got)
		}
		// Closing again answers the closing stored, not an error.
		again, err := db.CloseSettlement(ctx, cod.Closing{DCID: "dc-one", PostmanID: c.PostmanA.UserID, Date: "2026-12-01",
			Slot: postal.SlotEvening, SettlementID: "s-first", ClosedBy: c.Admin.UserID, At: now.Add(time.Hour)})
		if err != nil || again.ClosedBy != c.Supervisor.UserID {
			t.Fatalf("second closing: %+v, %v; want the first closing (by %s)", again, err, c.Supervisor.UserID)
		}
	})
}
