package store_test

import (
	"context"
	"testing"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestRosteredCount walks the roster's rules on both databases: the
// default (postmen with a home beat, no Sunday slot), a weekly off day, a
// slot's leave, Sunday duty, a reliever covering a beat, and going back
// to the default. 2026-12-02 is a Wednesday, 2026-12-06 a Sunday.
func TestRosteredCount(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
		c := testkit.NewCentre(t, db, now)
		relief, err := c.Auth.CreateUser(ctx, auth.NewUser{Username: "relief", Name: "Relief", Role: postal.RolePostman,
			DCID: "dc-one", Password: testkit.Password})
		if err != nil {
			t.Fatal(err)
		}
		count := func(date string, sl postal.Slot) int {
			t.Helper()
			n, err := db.RosteredCount(ctx, "dc-one", date, sl)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		put := func(user, date string, st roster.Status, covers string, slots ...postal.Slot) {
			t.Helper()
			e := roster.Entry{UserID: user, Date: date, Status: st, CoversBeatID: covers, UpdatedBy: c.Supervisor.UserID, UpdatedAt: now}
			if err := db.PutRosterEntry(ctx, "dc-one", e, slots); err != nil {
				t.Fatal(err)
			}
		}
		wed, sun := "2026-12-02", "2026-12-06"
		if m, e, s, o := count(wed, postal.SlotMorning), count(wed, postal.SlotEvening), count(sun, postal.SlotSunday), count(sun, postal.SlotMorning); m != 2 || e != 2 || s != 0 || o != 0 {
			t.Fatalf("default: morning %d evening %d sunday %d sunday-morning %d, want 2 2 0 0", m, e, s, o)
		}
		if n := count("2026-12-01", postal.SlotMorning); n != 2 {
			t.Fatalf("tuesday: %d on duty, want 2", n)
		}
		if err := db.PutWeeklyOff(ctx, "dc-one", c.PostmanB.UserID, int(time.Wednesday), c.Supervisor.UserID, now); err != nil {
			t.Fatal(err)
		}
		if n := count(wed, postal.SlotMorning); n != 1 {
			t.Fatalf("weekly off: %d on duty, want 1", n)
		}
		put(c.PostmanA.UserID, wed, roster.Leave, "", postal.SlotMorning)
		if m, e := count(wed, postal.SlotMorning), count(wed, postal.SlotEvening); m != 0 || e != 1 {
			t.Fatalf("morning leave: morning %d evening %d, want 0 1", m, e)
		}
		put(relief.ID, wed, roster.OnDuty, "beat-a")
		put(c.PostmanB.UserID, sun, roster.OnDuty, "")
		if m, s := count(wed, postal.SlotMorning), count(sun, postal.SlotSunday); m != 1 || s != 1 {
			t.Fatalf("reliever and Sunday duty: morning %d sunday %d, want 1 1", m, s)
		}
		day, err := db.RosterDay(ctx, "dc-one", wed)
		if err != nil {
			t.Fatal(err)
		}
		morning, _ := day.Slot(postal.SlotMorning)
		want := map[string]roster.Status{c.PostmanA.UserID: roster.Leave, c.PostmanB.UserID: roster.WeeklyOff, relief.ID: roster.OnDuty}
		for _, d := range morning.Postmen {
			if d.Status != want[d.UserID] {
				t.Errorf("%s: %s, want %s", d.Name, d.Status, want[d.UserID])
			}
			if d.UserID == relief.ID && (d.CoversBeatID != "beat-a" || d.HomeBeatID != "") {
				t.Errorf("reliever: %+v", d)
			}
		}
		if n, err := db.DeleteRosterEntries(ctx, c.PostmanA.UserID, wed, ""); err != nil || n != 1 {
			t.Fatalf("delete: %d %v", n, err)
		}
		if err := db.PutWeeklyOff(ctx, "dc-one", c.PostmanB.UserID, roster.NoWeeklyOff, c.Supervisor.UserID, now); err != nil {
			t.Fatal(err)
		}
		if n := count(wed, postal.SlotMorning); n != 3 {
			t.Fatalf("back to default with the reliever: %d, want 3", n)
		}
	})
}
