package slot

import (
	"testing"
	"time"

	"dakiya/internal/postal"
)

var ist = time.FixedZone("IST", 5*3600+1800)

func TestCalendarValidate(t *testing.T) {
	good := DefaultCalendar()
	if err := good.Validate(); err != nil {
		t.Fatalf("default calendar: %v", err)
	}
	empty := Calendar{}
	if err := empty.Validate(); err != nil || empty.Windows[postal.SlotMorning].Start != "07:00" || empty.Capacity[postal.SlotEvening] != 41 {
		t.Fatalf("empty calendar not filled from the defaults: %v %+v", err, empty)
	}
	bad := map[string]func(c *Calendar){
		"end before start": func(c *Calendar) { c.Windows[postal.SlotMorning] = Window{Start: "11:00", End: "07:00"} },
		"bad time":         func(c *Calendar) { c.Windows[postal.SlotEvening] = Window{Start: "25:00", End: "26:00"} },
		"overlap":          func(c *Calendar) { c.Windows[postal.SlotEvening] = Window{Start: "10:00", End: "12:00"} },
		"negative cutoff": func(c *Calendar) {
			c.Windows[postal.SlotSunday] = Window{Start: "09:00", End: "13:00", CutoffMinutes: -1}
		},
		"missing window":     func(c *Calendar) { delete(c.Windows, postal.SlotSunday) },
		"unknown slot":       func(c *Calendar) { c.Windows["night"] = Window{Start: "21:00", End: "23:00"} },
		"zero capacity":      func(c *Calendar) { c.Capacity[postal.SlotMorning] = 0 },
		"huge capacity":      func(c *Calendar) { c.Capacity[postal.SlotMorning] = 1001 },
		"bad holiday":        func(c *Calendar) { c.Holidays = []string{"2026-02-30"} },
		"holiday not a date": func(c *Calendar) { c.Holidays = []string{"Diwali"} },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			c := DefaultCalendar()
			mutate(&c)
			if err := c.Validate(); !postal.IsCode(err, postal.CodeInvalid) {
				t.Fatalf("accepted: %v", err)
			}
		})
	}
	dup := DefaultCalendar()
	dup.Holidays = []string{"2026-12-25", "2026-11-27", "2026-12-25"}
	if err := dup.Validate(); err != nil || len(dup.Holidays) != 2 || dup.Holidays[0] != "2026-11-27" {
		t.Fatalf("holidays not sorted and deduplicated: %v %v", err, dup.Holidays)
	}
}

func TestInstances(t *testing.T) {
	c := DefaultCalendar()
	c.Holidays = []string{"2026-11-27"} // a Friday
	now := time.Date(2026, 11, 25, 5, 59, 59, 0, ist)
	got := c.Instances("2026-11-25", 5, ist, now)
	want := []struct {
		date string
		slot postal.Slot
		open bool
	}{
		{"2026-11-25", postal.SlotMorning, true}, {"2026-11-25", postal.SlotEvening, true},
		{"2026-11-26", postal.SlotMorning, true}, {"2026-11-26", postal.SlotEvening, true},
		{"2026-11-27", postal.SlotSunday, true}, // holiday
		{"2026-11-28", postal.SlotMorning, true}, {"2026-11-28", postal.SlotEvening, true},
		{"2026-11-29", postal.SlotSunday, true}, // Sunday
	}
	if len(got) != len(want) {
		t.Fatalf("got %d instances, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Date != w.date || got[i].Slot != w.slot || got[i].Open != w.open {
			t.Errorf("instance %d = %s %s open=%v, want %s %s open=%v", i, got[i].Date, got[i].Slot, got[i].Open, w.date, w.slot, w.open)
		}
	}
	m := got[0]
	if m.Start.Format(time.RFC3339) != "2026-11-25T07:00:00+05:30" || m.Cutoff.Format(time.RFC3339) != "2026-11-25T06:00:00+05:30" {
		t.Fatalf("morning window: %v %v", m.Start, m.Cutoff)
	}
	// One second later the morning slot has closed; the evening is open till 15:00.
	closed, _ := c.Instance("2026-11-25", postal.SlotMorning, ist, now.Add(time.Second))
	evening, _ := c.Instance("2026-11-25", postal.SlotEvening, ist, time.Date(2026, 11, 25, 15, 0, 0, 0, ist))
	if closed.Open || evening.Open {
		t.Fatalf("past the cut-off but open: morning %v, evening %v", closed.Open, evening.Open)
	}
	// After the evening slot ends the day offers nothing more; tomorrow's
	// morning is the first open slot.
	late := time.Date(2026, 11, 25, 20, 0, 1, 0, ist)
	list := c.Instances(Today(late, ist), 2, ist, late)
	if list[0].Open || list[1].Open || !list[2].Open || list[2].Date != "2026-11-26" || late.Before(list[1].End) {
		t.Fatalf("after the evening slot: %+v", list[:3])
	}
	if _, ok := c.Instance("2026-11-29", postal.SlotMorning, ist, now); ok {
		t.Fatal("a morning slot runs on a Sunday")
	}
	c.SundayDelivery = false
	if n := len(c.Instances("2026-11-27", 3, ist, now)); n != 2 { // only Saturday's two
		t.Fatalf("without Sunday delivery: %d instances, want 2", n)
	}
	// The centre's zone decides the day: 20:00 UTC on Saturday is Sunday in India.
	if Today(time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC), ist) != "2026-11-29" {
		t.Fatal("today is not taken in the centre's zone")
	}
}

func TestLinks(t *testing.T) {
	now := time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
	l := NewLinks([]byte("key one, thirty-two bytes long!!"), "https://dakiya.example/")
	tok := l.Token("EE123456785IN", now)
	if id, err := l.Parse(tok, now.Add(LinkTTL-time.Second)); err != nil || id != "EE123456785IN" {
		t.Fatalf("parse: %q %v", id, err)
	}
	if u := l.URL("EE123456785IN", now); u != "https://dakiya.example/slot/"+tok {
		t.Fatalf("url = %s", u)
	}
	other := NewLinks([]byte("key two, thirty-two bytes long!!"), "")
	flip := []byte(tok)
	flip[3] ^= 1
	for name, bad := range map[string]string{
		"expired": tok, "other key": other.Token("EE123456785IN", now), "tampered": string(flip),
		"no dot": "abc", "empty": "", "garbage": "!!.??", "long": string(make([]byte, 300)),
	} {
		at := now
		if name == "expired" {
			at = now.Add(LinkTTL)
		}
		if _, err := l.Parse(bad, at); !postal.IsCode(err, postal.CodeNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
}

func TestLinksSurviveRotation(t *testing.T) {
	now := time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
	oldKey, newKey := []byte("slot link key before the rotate!"), []byte("slot link key after the rotation")
	tok := NewLinks(oldKey, "").Token("EE123456785IN", now)
	if _, err := NewLinks(newKey, "").Parse(tok, now); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("old link without the previous key: %v, want not found", err)
	}
	during := NewLinks(newKey, "", oldKey)
	if id, err := during.Parse(tok, now); err != nil || id != "EE123456785IN" {
		t.Fatalf("old link during the rotation: %q %v", id, err)
	}
	if _, err := during.Parse(tok, now.Add(LinkTTL)); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("expired old link during the rotation: %v, want not found", err)
	}
}
