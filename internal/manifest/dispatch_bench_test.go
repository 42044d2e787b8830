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

// BenchmarkDispatch1000 dispatches one postman's manifest of 1,000 stops
// (letters, a third of them with cash on delivery, which get codes) on
// SQLite and on PostgreSQL, each time on a fresh database whose draft is
// built outside the timer; it reports the statements one dispatch sends.
func BenchmarkDispatch1000(b *testing.B) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", testkit.DB}, {"postgres", testkit.Postgres}} {
		b.Run(d.name, func(b *testing.B) {
			var stmts int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f, id := draft1000(b, d.open(b))
				before := f.DB.SQLCount()
				b.StartTimer()
				if _, err := f.svc.Dispatch(context.Background(), f.Supervisor, id); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				stmts += f.DB.SQLCount() - before
			}
			b.ReportMetric(float64(stmts)/float64(b.N), "stmts/op")
		})
	}
}

// draft1000 books 1,000 articles at 1,000 households on beat-a for the
// evening and builds their draft.
func draft1000(b *testing.B, db *store.DB) (fix, string) {
	b.Helper()
	f := newFix(b, db)
	f.svc = withCodes(b, f)
	ctx := context.Background()
	cal := slot.DefaultCalendar()
	cal.Capacity[postal.SlotEvening] = 1000
	if _, err := f.slots.PutCalendar(ctx, f.Supervisor, "dc-one", cal, ""); err != nil {
		b.Fatal(err)
	}
	specs := households(f, 1000, 1000)
	for i := range specs {
		if i%3 == 0 {
			specs[i].COD = 9900
		}
	}
	for _, id := range f.Book(b, specs...) {
		if _, err := f.slots.Assign(ctx, f.Supervisor, id, article.Schedule{Date: day, Slot: postal.SlotEvening}); err != nil {
			b.Fatal(err)
		}
	}
	res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
	if err != nil || len(res.Manifests) != 1 || res.Manifests[0].Stops != 1000 {
		b.Fatalf("build: %+v %v", res, err)
	}
	return f, res.Manifests[0].ID
}
