package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestTakenSaysWhy takes articles out of postman A's hands (a supervisor's
// amendment, the counter) and has everyone try every action at the door on
// them: all get not found, but only A, whose custody it was, is told why
// and when (in the centre's zone), so A's phone can say so. B and the
// supervisor learn nothing more than that the article is not found.
func TestTakenSaysWhy(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDay(t, db, time.Date(2026, 11, 25, 5, 0, 0, 0, ist), true, "taken off", "held", "kept")
		d.schedule("2026-11-25", postal.SlotMorning, "taken off", "held", "kept")
		morning := d.dispatch("2026-11-25", postal.SlotMorning)[d.PostmanA.UserID]
		d.Clock.Set(time.Date(2026, 11, 25, 10, 42, 0, 0, ist))
		d.amend(morning, manifest.Amendment{Remove: []string{d.ids["taken off"]}})
		d.Clock.Set(time.Date(2026, 11, 25, 11, 5, 0, 0, ist))
		d.hold("held")
		d.Clock.Set(time.Date(2026, 11, 25, 12, 0, 0, 0, ist))

		want := map[string]map[string]any{
			"taken off": {"reason": "removed", "at": "2026-11-25T10:42:00+05:30", "time_zone": "Asia/Kolkata"},
			"held":      {"reason": "held", "at": "2026-11-25T11:05:00+05:30", "time_zone": "Asia/Kolkata"},
		}
		for name, extra := range want {
			for _, a := range actions() {
				if a.name == "upi link" {
					continue
				}
				for _, p := range []postal.Principal{d.PostmanA, d.PostmanB, d.Supervisor} {
					err := a.do(d, p, d.ids[name])
					var pe *postal.Error
					if !errors.As(err, &pe) {
						t.Errorf("%s: %s by %s: %v, want a refusal", name, a.name, p.Username, err)
						continue
					}
					if p != d.PostmanA {
						// Not found to postman B; a supervisor may be told
						// they cannot act at the door at all. Never why.
						if pe.Extra["reason"] != nil || pe.Extra["at"] != nil {
							t.Errorf("%s: %s by %s was told %v; only the former custodian may be", name, a.name, p.Username, pe.Extra)
						}
						if p == d.PostmanB && pe.Code != postal.CodeNotFound {
							t.Errorf("%s: %s by %s: %v, want not found", name, a.name, p.Username, err)
						}
						continue
					}
					if pe.Code != postal.CodeNotFound {
						t.Errorf("%s: %s by its former custodian: %v, want not found", name, a.name, err)
					}
					if diff := cmp.Diff(extra, pe.Extra); diff != "" {
						t.Errorf("%s: %s by its former custodian: extra members (-want +got):\n%s", name, a.name, diff)
					}
				}
			}
		}
		// The article still in A's hands is A's to act on.
		if _, err := d.submit(d.PostmanA, d.delivered("kept")); err != nil {
			t.Errorf("kept: %v", err)
		}
	})
}
