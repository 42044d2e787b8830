package roster

import (
	"testing"

	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

func TestForDay(t *testing.T) {
	cal := slot.DefaultCalendar()
	cal.Holidays = []string{"2026-12-25"}
	postmen := []Postman{
		{UserID: "a", Name: "A", HomeBeatID: "beat-a", WeeklyOff: 3}, // Wednesday
		{UserID: "b", Name: "B", HomeBeatID: "beat-b", WeeklyOff: NoWeeklyOff},
		{UserID: "r", Name: "R", WeeklyOff: NoWeeklyOff}, // a reliever
	}
	entries := []Entry{
		{UserID: "b", Date: "2026-12-01", Status: Leave},
		{UserID: "b", Date: "2026-12-01", Slot: postal.SlotEvening, Status: OnDuty}, // back for the evening
		{UserID: "r", Date: "2026-12-01", Status: OnDuty, CoversBeatID: "beat-b"},
		{UserID: "a", Date: "2026-12-25", Slot: postal.SlotSunday, Status: OnDuty},
	}
	for _, tc := range []struct {
		date string
		sl   postal.Slot
		want string // statuses of a, b, r
	}{
		{"2026-11-30", postal.SlotMorning, "on_duty on_duty off"},
		{"2026-12-01", postal.SlotMorning, "on_duty leave on_duty"},
		{"2026-12-01", postal.SlotEvening, "on_duty on_duty on_duty"},
		{"2026-12-02", postal.SlotEvening, "weekly_off on_duty off"},
		{"2026-12-06", postal.SlotSunday, "off off off"},
		{"2026-12-25", postal.SlotSunday, "on_duty off off"}, // a holiday: Sunday duty
	} {
		day := ForDay(cal, tc.date, postmen, entries)
		sr, ok := day.Slot(tc.sl)
		if !ok {
			t.Fatalf("%s: no %s slot in %+v", tc.date, tc.sl, day)
		}
		got, n := "", 0
		for i, d := range sr.Postmen {
			if i > 0 {
				got += " "
			}
			got += string(d.Status)
			if d.Status == OnDuty {
				n++
			}
		}
		if got != tc.want || sr.Rostered != n {
			t.Errorf("%s %s: %q (%d rostered), want %q", tc.date, tc.sl, got, sr.Rostered, tc.want)
		}
	}
	if _, ok := ForDay(cal, "2026-12-06", postmen, nil).Slot(postal.SlotMorning); ok {
		t.Error("a Sunday runs no morning slot")
	}
	if d := ForDay(cal, "not-a-date", postmen, nil); len(d.Slots) != 0 {
		t.Errorf("bad date: %+v", d)
	}
}
