package delivery_test

import (
	"slices"
	"testing"
	"time"

	"dakiya/internal/delivery"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestStaleFix flags a position fixed before the postman opened the stop
// (the previous door's, as maximumAge once gave it) or, when the phone
// does not say when it opened the stop, more than two minutes before the
// capture; the fix's time and the opening are stored with the outcome.
func TestStaleFix(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		out := time.Date(2026, 11, 25, 5, 0, 0, 0, ist)
		now := out.Add(time.Hour)
		at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
		cases := []struct {
			name          string
			opened, fixAt *time.Time
			stale         bool
		}{
			{"fixed after opening", at(-2 * time.Minute), at(-time.Minute), false},
			{"fixed before opening", at(-2 * time.Minute), at(-2*time.Minute - time.Second), true},
			{"no opening, recent fix", nil, at(-time.Minute - 50*time.Second), false},
			{"no opening, old fix", nil, at(-2*time.Minute - time.Second), true},
			{"fix time unknown", at(-time.Minute), nil, false},
		}
		var names []string
		for _, c := range cases {
			names = append(names, c.name)
		}
		d := newDay(t, db, out, false, names...)
		d.schedule("2026-11-25", postal.SlotMorning, names...)
		d.dispatch("2026-11-25", postal.SlotMorning)
		d.Clock.Set(now)
		for _, c := range cases {
			in := d.failed(c.name)
			in.OpenedAt, in.Location.FixAt = c.opened, c.fixAt
			res, err := d.submit(d.PostmanA, in)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := slices.Contains(res.Flags, delivery.FlagStaleFix); got != c.stale {
				t.Errorf("%s: flags %v, want stale_fix %v", c.name, res.Flags, c.stale)
			}
			var fix, opened *int64
			d.must(db.QueryRowForTest(d.ctx(), "SELECT fix_at, opened_at FROM deliveries WHERE id = ?", res.ID).Scan(&fix, &opened))
			if !sameMS(fix, c.fixAt) || !sameMS(opened, c.opened) {
				t.Errorf("%s: stored fix_at %v, opened_at %v; want %v, %v", c.name, fix, opened, c.fixAt, c.opened)
			}
		}
		list, err := d.deliveries.List(d.ctx(), d.Supervisor, "dc-one", "2026-11-25", "morning", "")
		d.must(err)
		for _, got := range list {
			if got.ArticleID == d.ids["fixed before opening"] &&
				(got.Location.FixAt == nil || !got.Location.FixAt.Equal(*cases[1].fixAt) || got.OpenedAt == nil || !got.OpenedAt.Equal(*cases[1].opened)) {
				t.Errorf("listed %+v, opened %v: want its fix time and opening", got.Location, got.OpenedAt)
			}
		}
	})
}

func sameMS(v *int64, t *time.Time) bool {
	if v == nil || t == nil {
		return v == nil && t == nil
	}
	return *v == t.UnixMilli()
}
