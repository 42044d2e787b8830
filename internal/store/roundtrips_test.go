package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dakiya/internal/delivery"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestDeliveryListStatementsDoNotGrow lists a centre's outcomes, 4 and
// then 40 of them each with a review, and counts the statements: the
// same, the reviews still on the right rows.
func TestDeliveryListStatementsDoNotGrow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC))
		ctx := context.Background()
		at := c.Clock.Now()
		count := map[int]int64{}
		made := 0
		for _, n := range []int{4, 40} {
			specs := make([]testkit.ArticleSpec, n-made)
			for i := range specs {
				specs[i].Serial = 60000001 + made + i
			}
			for _, id := range c.Book(t, specs...) {
				d := fmt.Sprintf("d%03d", made)
				if err := db.ExecForTest(ctx, `INSERT INTO deliveries (id, article_id, dc_id, postman_id, manifest_id, date, slot,
					outcome, reason_code, captured_at, created_at, assignment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					d, id, "dc-one", c.PostmanA.UserID, "m1", "2026-11-25", "morning", "delivered", "",
					at.UnixMilli(), at.Add(time.Duration(made)*time.Second).UnixMilli(), "as"+d); err != nil {
					t.Fatal(err)
				}
				if err := db.AddReview(ctx, d, delivery.Review{ID: "r" + d, ReviewerID: c.Supervisor.UserID,
					Decision: "approved", Note: "ok " + d, At: at}); err != nil {
					t.Fatal(err)
				}
				made++
			}
			before := db.SQLCount()
			list, err := db.Deliveries(ctx, delivery.Filter{DCID: "dc-one"})
			count[n] = db.SQLCount() - before
			if err != nil || len(list) != n {
				t.Fatalf("list of %d: %d rows, %v", n, len(list), err)
			}
			for _, d := range list {
				if len(d.Reviews) != 1 || d.Reviews[0].Note != "ok "+d.ID || len(d.ProofIDs) != 0 {
					t.Fatalf("delivery %s: reviews %+v proofs %v", d.ID, d.Reviews, d.ProofIDs)
				}
			}
		}
		if count[40] != count[4] || count[4] > 3 {
			t.Fatalf("statements: %d for 4 outcomes, %d for 40", count[4], count[40])
		}
	})
}
