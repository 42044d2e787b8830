package manifest_test

import (
	"context"
	"testing"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestDispatchStatementsDoNotGrow dispatches a manifest of 10 articles and
// one of 200 and counts the SQL statements each takes, reads included:
// the same number, so a manifest's size costs no round trips.
func TestDispatchStatementsDoNotGrow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		f.svc = withCodes(t, f)
		ctx := context.Background()
		cal := slot.DefaultCalendar()
		cal.Capacity[postal.SlotEvening] = 1000
		if _, err := f.slots.PutCalendar(ctx, f.Supervisor, "dc-one", cal, ""); err != nil {
			t.Fatal(err)
		}
		count := map[int]int64{}
		for k, n := range []int{10, 200} {
			date := []string{"2026-11-25", "2026-11-26"}[k]
			specs := households(f, n*3/4+1, n)
			for i := range specs {
				specs[i].Serial = 70000001 + k*1000 + i
				if i%3 == 0 {
					specs[i].Service, specs[i].COD = postal.ServiceParcel, 9900 // some need a code
				}
			}
			ids := f.Book(t, specs...)
			for _, id := range ids {
				if _, err := f.slots.Assign(ctx, f.Supervisor, id, article.Schedule{Date: date, Slot: postal.SlotEvening}); err != nil {
					t.Fatalf("assign %s: %v", id, err)
				}
			}
			res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", date, postal.SlotEvening)
			if err != nil || len(res.Manifests) != 1 || res.Manifests[0].Articles != n {
				t.Fatalf("build of %d: %+v %v", n, res, err)
			}
			before := db.SQLCount()
			if _, err := f.svc.Dispatch(ctx, f.Supervisor, res.Manifests[0].ID); err != nil {
				t.Fatalf("dispatch of %d: %v", n, err)
			}
			count[n] = db.SQLCount() - before
			out := 0
			for _, id := range ids {
				if f.status(t, id) == article.StatusOutForDelivery {
					out++
				}
			}
			if out != n {
				t.Fatalf("dispatch of %d sent %d out", n, out)
			}
			codes := itemsOf(t, db, res.Manifests[0].ID)
			withCode := 0
			for _, it := range codes {
				if it.OTPGroup != "" {
					withCode++
				}
			}
			if withCode == 0 {
				t.Fatalf("dispatch of %d issued no codes", n)
			}
		}
		t.Logf("%s: dispatch of 10 articles: %d statements, of 200: %d", db.Dialect(), count[10], count[200])
		if count[200] != count[10] || count[10] > 20 {
			t.Fatalf("statements: %d for 10 articles, %d for 200", count[10], count[200])
		}
	})
}
