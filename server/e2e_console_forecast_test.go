package main

import (
	"testing"
)

// TestConsoleForecast runs e2e/console-forecast.mjs: on the demo's year of
// arrivals, supervisor1 sees tomorrow's forecast against the roster, the
// 14 days' band and staffing charts with the understaffed days marked, in
// English and Hindi; the admin adds a festival and deletes it. Then it
// checks through the API what the browser saw and changed.
func TestConsoleForecast(t *testing.T) {
	var res struct {
		Tomorrow []struct {
			Date, Slot string
			Expected   float64
			Needed     int
			Rostered   int
		}
		Short, SlotDays, Festivals int
		Added                      string
	}
	run := runConsole(t, "console-forecast.mjs", nil, &res)
	if len(res.Tomorrow) == 0 || res.SlotDays == 0 || res.Festivals == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, run.base, "supervisor1")
	var fc struct {
		Dates []struct {
			Date  string
			Slots []struct {
				Slot     string
				Expected float64
				Needed   int  `json:"postmen_needed"`
				Rostered *int `json:"rostered"`
			}
		}
	}
	getJSON(t, run.base+"/api/v1/dcs/blr-koramangala/forecast?days=14", sup, 200, &fc)
	for i, s := range fc.Dates[0].Slots {
		got := res.Tomorrow[i]
		if s.Slot != got.Slot || s.Expected != got.Expected || s.Needed != got.Needed || s.Rostered == nil || *s.Rostered != got.Rostered {
			t.Errorf("tomorrow's %s: the API says %+v, the screen %+v", s.Slot, s, got)
		}
	}
	var fs struct {
		Items []struct{ ID string } `json:"items"`
		Next  string                `json:"next"`
	}
	getJSON(t, run.base+"/api/v1/festivals", sup, 200, &fs)
	for _, f := range fs.Items {
		if f.ID == res.Added {
			t.Errorf("festival %s was deleted in the browser but is still listed", f.ID)
		}
	}
	if len(fs.Items) != res.Festivals || fs.Next != "" {
		t.Errorf("%d festivals (next %q), want the %d the admin started with", len(fs.Items), fs.Next, res.Festivals)
	}
	for _, r := range run.requests() {
		if r.User == "supervisor1" && r.Status >= 400 {
			t.Errorf("the supervisor's console asked for something refused: %+v", r)
		}
	}
	t.Logf("tomorrow: %+v; understaffed on %d of %d slot days", res.Tomorrow, res.Short, res.SlotDays)
	run.keepScreenshots(t)
}
