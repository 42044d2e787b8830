package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestTrackWindow: public tracking shows the booked slot's window (date,
// slot, start and end in the centre's zone, following its calendar) while
// the article waits for it, and no window before it is booked or once the
// booking is history; still no personal data.
func TestTrackWindow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1 := e.login("sup1")
		id := s10(t, "EE", 10000101)
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id)); r.status != 200 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		track := func() map[string]any {
			t.Helper()
			r := e.do("GET", "/api/v1/track/"+id, "", nil)
			if r.status != 200 {
				t.Fatalf("track: %d %s", r.status, r.body)
			}
			for _, pii := range []string{"Meera", "98450", "Cross", "560034", "beat"} {
				if strings.Contains(string(r.body), pii) {
					t.Fatalf("public tracking shows %q: %s", pii, r.body)
				}
			}
			return r.json(t)
		}
		if w, ok := track()["window"]; !ok || w != nil {
			t.Fatalf("an article waiting for a slot has window %v (present %v), want null", w, ok)
		}

		if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		want := map[string]any{"date": "2026-11-25", "slot": "evening", "start": "2026-11-25T17:00:00+05:30", "end": "2026-11-25T20:00:00+05:30"}
		if diff := cmp.Diff(want, track()["window"]); diff != "" {
			t.Fatalf("booked window (-want +got):\n%s", diff)
		}

		cal := `{"windows":{"morning":{"start":"07:30","end":"11:00","cutoff_minutes":60},"evening":{"start":"17:30","end":"20:45","cutoff_minutes":120},` +
			`"sunday":{"start":"09:00","end":"13:00","cutoff_minutes":60}}}`
		if r := e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, cal); r.status != 200 {
			t.Fatalf("calendar: %d %s", r.status, r.body)
		}
		want["start"], want["end"] = "2026-11-25T17:30:00+05:30", "2026-11-25T20:45:00+05:30"
		if diff := cmp.Diff(want, track()["window"]); diff != "" {
			t.Fatalf("window after the calendar changed (-want +got):\n%s", diff)
		}

		if r := e.do("POST", "/api/v1/articles/"+id+"/events", sup1, map[string]any{"event": "held_at_counter"}); r.status != 200 {
			t.Fatalf("hold: %d %s", r.status, r.body)
		}
		if w := track()["window"]; w != nil {
			t.Fatalf("a held article still shows window %v", w)
		}
	})
}
