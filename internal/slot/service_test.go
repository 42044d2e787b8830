package slot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// wednesday04 is 04:00 on Wednesday 25 November 2026 in India, before the
// morning cut-off.
var wednesday04 = time.Date(2026, 11, 25, 4, 0, 0, 0, ist)

func setup(t *testing.T, db *store.DB, capacity int) (*testkit.Centre, *slot.Service, slot.Links) {
	t.Helper()
	c := testkit.NewCentre(t, db, wednesday04)
	links := slot.NewLinks([]byte("a slot link key of 32 bytes!!!!!"), "https://dakiya.example")
	s := slot.New(db, links, c.Clock.Now)
	cal := slot.DefaultCalendar()
	cal.Capacity = map[postal.Slot]int{postal.SlotMorning: capacity, postal.SlotEvening: capacity, postal.SlotSunday: capacity}
	if _, err := s.PutCalendar(context.Background(), c.Supervisor, "dc-one", cal, ""); err != nil {
		t.Fatal(err)
	}
	return c, s, links
}

func schedOf(t *testing.T, c *testkit.Centre, id string) string {
	t.Helper()
	a, err := c.DB.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Schedule == nil {
		return string(a.Status)
	}
	return a.Schedule.Date + " " + string(a.Schedule.Slot)
}

func TestAutoSchedule(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		// Capacity 3 letters: one registered article (2.26 letters) per slot.
		c, s, _ := setup(t, db, 3)
		ids := c.Book(t,
			testkit.ArticleSpec{Serial: 10000001}, testkit.ArticleSpec{Serial: 10000002},
			testkit.ArticleSpec{Serial: 10000003, Pref: postal.SlotEvening},
			testkit.ArticleSpec{Serial: 10000004, PIN: "110001"}, // no beat covers it
			testkit.ArticleSpec{Serial: 10000005, Service: postal.ServiceLetter, Address: "Flat 2, Rose Villa", Lat: 12.94, Lon: 77.63},
			testkit.ArticleSpec{Serial: 10000006, Service: postal.ServiceLetter, Address: "flat 2,  rose villa", Lat: 12.94, Lon: 77.63},
		)
		res, err := s.AutoSchedule(context.Background(), c.Supervisor, "dc-one")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Scheduled) != 5 || len(res.Unscheduled) != 1 || res.Unscheduled[0].ID != ids[3] {
			t.Fatalf("result: %+v", res)
		}
		want := map[int]string{
			0: "2026-11-25 morning", 1: "2026-11-25 evening", 2: "2026-11-26 evening", // the evening preference skips a morning
			4: "2026-11-26 morning", 5: "2026-11-26 morning", // the household's two letters travel together
		}
		for i, w := range want {
			if got := schedOf(t, c, ids[i]); got != w {
				t.Errorf("article %d scheduled %s, want %s", i, got, w)
			}
		}
		if got := schedOf(t, c, ids[3]); got != "at_dc" {
			t.Errorf("the uncovered article is %s, want still at_dc", got)
		}
		again, err := s.AutoSchedule(context.Background(), c.Supervisor, "dc-one")
		if err != nil || len(again.Scheduled) != 0 || len(again.Unscheduled) != 1 {
			t.Fatalf("second run: %+v %v", again, err)
		}
	})
}

func TestAutoScheduleAcrossCutoffAndHoliday(t *testing.T) {
	c, s, _ := setup(t, testkit.DB(t), 50)
	cal, _ := s.Calendar(context.Background(), c.Supervisor, "dc-one")
	cal.Holidays = []string{"2026-11-26"}
	if _, err := s.PutCalendar(context.Background(), c.Supervisor, "dc-one", cal.Calendar, "Asia/Kolkata"); err != nil {
		t.Fatal(err)
	}
	c.Clock.Set(time.Date(2026, 11, 25, 15, 0, 0, 0, ist)) // both of today's cut-offs have passed
	ids := c.Book(t, testkit.ArticleSpec{Serial: 20000001}, testkit.ArticleSpec{Serial: 20000002, Pref: postal.SlotEvening})
	if _, err := s.AutoSchedule(context.Background(), c.Supervisor, "dc-one"); err != nil {
		t.Fatal(err)
	}
	// Thursday is a holiday: only the Sunday/holiday slot runs.
	if got := schedOf(t, c, ids[0]); got != "2026-11-26 sunday" {
		t.Errorf("first article: %s", got)
	}
	if got := schedOf(t, c, ids[1]); got != "2026-11-27 evening" {
		t.Errorf("evening preference: %s", got)
	}
}

func TestScheduleRefusals(t *testing.T) {
	c, s, _ := setup(t, testkit.DB(t), 3)
	ids := c.Book(t, testkit.ArticleSpec{Serial: 30000001}, testkit.ArticleSpec{Serial: 30000002})
	ctx := context.Background()
	if _, err := s.AutoSchedule(ctx, c.PostmanA, "dc-one"); !postal.IsCode(err, postal.CodeForbidden) {
		t.Errorf("postman scheduling: %v", err)
	}
	if _, err := s.AutoSchedule(ctx, c.Supervisor2, "dc-one"); !postal.IsCode(err, postal.CodeNotFound) {
		t.Errorf("other centre scheduling: %v", err)
	}
	cases := []struct {
		name string
		p    postal.Principal
		id   string
		sc   article.Schedule
		code postal.Code
	}{
		{"postman", c.PostmanA, ids[0], article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}, postal.CodeForbidden},
		{"other centre", c.Supervisor2, ids[0], article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}, postal.CodeNotFound},
		{"sunday slot on a weekday", c.Supervisor, ids[0], article.Schedule{Date: "2026-11-25", Slot: postal.SlotSunday}, postal.CodeInvalid},
		{"morning on a Sunday", c.Supervisor, ids[0], article.Schedule{Date: "2026-11-29", Slot: postal.SlotMorning}, postal.CodeInvalid},
		{"past cut-off", c.Supervisor, ids[0], article.Schedule{Date: "2026-11-24", Slot: postal.SlotEvening}, postal.CodeConflict},
		{"bad id", c.Supervisor, "EE123456789IN", article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}, postal.CodeInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Assign(ctx, tc.p, tc.id, tc.sc); !postal.IsCode(err, tc.code) {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
		})
	}
	eve := article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}
	if _, err := s.Assign(ctx, c.Supervisor, ids[0], eve); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign(ctx, c.Supervisor, ids[1], eve); !postal.IsCode(err, postal.CodeConflict) {
		t.Fatalf("a full slot took another article: %v", err)
	}
	if got := schedOf(t, c, ids[1]); got != "at_dc" {
		t.Fatalf("refused article moved: %s", got)
	}
}

// TestCapacityHoldsUnderConcurrency lets many supervisors race for one
// slot: exactly as many articles as fit get in.
func TestCapacityHoldsUnderConcurrency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c, s, _ := setup(t, db, 10) // 1000 hundredths: four registered articles (904)
		var specs []testkit.ArticleSpec
		for i := range 12 {
			specs = append(specs, testkit.ArticleSpec{Serial: 40000001 + i})
		}
		ids := c.Book(t, specs...)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for _, id := range ids {
			wg.Go(func() {
				_, err := s.Assign(context.Background(), c.Supervisor, id, article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening})
				if err != nil && !postal.IsCode(err, postal.CodeConflict) && !postal.IsCode(err, postal.CodeUnavailable) {
					t.Errorf("assign: %v", err)
				}
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won++
				}
			})
		}
		wg.Wait()
		loads, err := db.SlotLoads(context.Background(), "dc-one", "beat-a", "2026-11-25", "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		booked := loads[slot.Key{Date: "2026-11-25", Slot: postal.SlotEvening}]
		if booked != won*226 || booked > 1000 || won == 0 {
			t.Fatalf("%d articles got in, booked load %d (capacity 1000)", won, booked)
		}
		t.Logf("%d of %d articles got the slot", won, len(ids))
	})
}
