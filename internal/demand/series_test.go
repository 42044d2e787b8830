package demand

import (
	"math"
	"testing"
	"time"

	"dakiya/internal/forecast"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// TestSlotSeries maps hourly arrivals to delivery dates and slots: the
// night mail goes out that morning, the midday van that evening, Saturday
// evening's on Sunday, and days a slot does not run are missing.
func TestSlotSeries(t *testing.T) {
	cal := slot.DefaultCalendar()
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC) // a Friday; series from the 21st
	end := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	as := []forecast.Arrival{
		{Date: "2026-11-20", Hour: 21, Service: "letter", Count: 4},  // Friday night: Saturday morning
		{Date: "2026-11-21", Hour: 5, Service: "letter", Count: 10},  // Saturday morning
		{Date: "2026-11-21", Hour: 12, Service: "parcel", Count: 3},  // Saturday evening
		{Date: "2026-11-21", Hour: 18, Service: "letter", Count: 2},  // Sunday slot
		{Date: "2026-11-22", Hour: 11, Service: "letter", Count: 5},  // Monday morning
		{Date: "2026-11-23", Hour: 20, Service: "letter", Count: 99}, // Tuesday: beyond the range
	}
	s := SlotSeries(cal, as, start, end)
	morning, sunday, evening := s[slotKey{postal.SlotMorning, postal.ServiceLetter}], s[slotKey{postal.SlotSunday, postal.ServiceLetter}],
		s[slotKey{postal.SlotEvening, postal.ServiceParcel}]
	if morning.Start.Format(time.DateOnly) != "2026-11-21" || len(morning.Values) != 3 {
		t.Fatalf("morning series from %s, %d days", morning.Start.Format(time.DateOnly), len(morning.Values))
	}
	eq := func(a, b []float64) bool {
		for i := range a {
			if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
				return false
			}
		}
		return len(a) == len(b)
	}
	nan := math.NaN()
	if want := []float64{14, nan, 5}; !eq(morning.Values, want) {
		t.Errorf("morning letters %v, want %v", morning.Values, want)
	}
	if want := []float64{nan, 2, nan}; !eq(sunday.Values, want) {
		t.Errorf("sunday letters %v, want %v", sunday.Values, want)
	}
	if want := []float64{3, nan, 0}; !eq(evening.Values, want) {
		t.Errorf("evening parcels %v, want %v", evening.Values, want)
	}
	tot := DailyTotals(as, start, end)
	if want := []float64{4, 15, 5, 99}; !eq(tot.Values, want) {
		t.Errorf("daily totals %v, want %v", tot.Values, want)
	}
}

func TestFestivalID(t *testing.T) {
	for in, want := range map[string]string{"Raksha Bandhan": "2026-08-28-raksha-bandhan", "Eid ul-Fitr": "2026-08-28-eid-ul-fitr", "दिवाली": "2026-08-28-festival"} {
		if got := festivalID(forecast.Festival{Date: "2026-08-28", Name: in}); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
