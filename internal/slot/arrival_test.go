package slot

import (
	"testing"

	"dakiya/internal/postal"
)

func TestFirstSlot(t *testing.T) {
	cal := DefaultCalendar()
	cal.Holidays = []string{"2026-11-25"} // a Wednesday
	noSunday := DefaultCalendar()
	noSunday.SundayDelivery = false
	cases := []struct {
		name     string
		cal      Calendar
		date     string
		hour     int
		wantDate string
		wantSlot postal.Slot
	}{
		{"before the morning", cal, "2026-11-23", 6, "2026-11-23", postal.SlotMorning},
		{"at the morning's start", cal, "2026-11-23", 7, "2026-11-23", postal.SlotEvening},
		{"before the evening", cal, "2026-11-23", 16, "2026-11-23", postal.SlotEvening},
		{"after the evening starts", cal, "2026-11-23", 17, "2026-11-24", postal.SlotMorning},
		{"late night", cal, "2026-11-23", 23, "2026-11-24", postal.SlotMorning},
		{"eve of a holiday", cal, "2026-11-24", 20, "2026-11-25", postal.SlotSunday},
		{"holiday morning", cal, "2026-11-25", 5, "2026-11-25", postal.SlotSunday},
		{"holiday afternoon", cal, "2026-11-25", 14, "2026-11-26", postal.SlotMorning},
		{"saturday night", cal, "2026-11-28", 18, "2026-11-29", postal.SlotSunday},
		{"sunday after the slot starts", cal, "2026-11-29", 9, "2026-11-30", postal.SlotMorning},
		{"saturday night, no sunday delivery", noSunday, "2026-11-28", 18, "2026-11-30", postal.SlotMorning},
		{"sunday morning, no sunday delivery", noSunday, "2026-11-29", 3, "2026-11-30", postal.SlotMorning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, s, ok := c.cal.FirstSlot(c.date, c.hour)
			if !ok || d != c.wantDate || s != c.wantSlot {
				t.Errorf("FirstSlot(%s, %d) = %s %s %v, want %s %s", c.date, c.hour, d, s, ok, c.wantDate, c.wantSlot)
			}
		})
	}
	if _, _, ok := cal.FirstSlot("2026-02-30", 3); ok {
		t.Error("an impossible date: want false")
	}
}
