package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// TestDoorEndToEnd runs e2e/door.mjs in a real headless Chromium at
// 360 × 740 against a real server (SQLite, the demo data, a dispatched
// slot): typing where the phone cannot scan and live scanning through an
// injected BarcodeDetector and camera stream where it can; two doors a
// kilometre apart recorded one right after the other; a household
// confirmed at once with one code per recipient. Then it checks what the
// server recorded: each door's outcome carries that door's own position
// fixed after the stop was opened (no far_from_address, no stale_fix), and
// every article of the household is delivered with its code.
func TestDoorEndToEnd(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	dispatchFirstSlot(t, base)
	phone, control := phoneNetwork(t, base)

	shots := t.TempDir()
	out := runE2E(t, node, root, "door.mjs", phone, base, control, shots)
	var res doorResult
	scriptResult(t, out, "E2E RESULT", &res)
	if len(res.Doors) != 2 || len(res.Household.Articles) < 2 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	if h := res.Household; !h.Grouped || h.CodeSteps == 0 || h.CodeSteps >= len(h.Coded) {
		t.Errorf("household %v: grouped %v, %d code steps for %d coded articles; want fewer steps than articles (one per shared code)",
			h.Articles, h.Grouped, h.CodeSteps, len(h.Coded))
	}
	checkDoors(t, base, res)
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyScreenshots(t, shots, filepath.Join(root, "docs"))
	}
}

// doorResult is what door.mjs did, from its E2E RESULT line.
type doorResult struct {
	Manifest, Date, Slot string
	Doors                []struct {
		Stop     string
		Articles []string
		Lat, Lon float64
	}
	Household struct {
		Articles  []string
		Coded     []string // those needing the recipient's code
		Lat, Lon  float64
		Grouped   bool
		CodeSteps int `json:"code_steps"`
		ConfirmMS int `json:"confirm_ms"`
	}
}

type doorDelivery struct {
	ArticleID string     `json:"article_id"`
	Outcome   string     `json:"outcome"`
	OTPGiven  bool       `json:"otp_given"`
	Flags     []string   `json:"flags"`
	OpenedAt  *time.Time `json:"opened_at"`
	Location  *struct {
		Lat, Lon  float64
		AccuracyM float64    `json:"accuracy_m"`
		FixAt     *time.Time `json:"fix_at"`
	} `json:"location"`
	CapturedAt time.Time `json:"captured_at"`
}

// checkDoors checks the server's record of the two doors and the household.
func checkDoors(t *testing.T, base string, res doorResult) {
	t.Helper()
	sup := login(t, base, "supervisor1")
	var list struct{ Items []doorDelivery }
	getJSON(t, fmt.Sprintf("%s/api/v1/dcs/blr-koramangala/deliveries?date=%s&slot=%s", base, res.Date, res.Slot), sup, 200, &list)
	by := map[string]doorDelivery{}
	for _, d := range list.Items {
		by[d.ArticleID] = d
	}
	place := func(id string, lat, lon float64, outcome string) doorDelivery {
		t.Helper()
		d, ok := by[id]
		switch {
		case !ok || d.Outcome != outcome:
			t.Errorf("%s: %+v (listed %v), want %s", id, d, ok, outcome)
		case d.Location == nil || math.Abs(d.Location.Lat-lat) > 1e-6 || math.Abs(d.Location.Lon-lon) > 1e-6:
			t.Errorf("%s carries position %+v, want its own door's %v,%v", id, d.Location, lat, lon)
		case slices.Contains(d.Flags, "far_from_address") || slices.Contains(d.Flags, "stale_fix"):
			t.Errorf("%s is flagged %v", id, d.Flags)
		case d.Location.FixAt == nil || d.OpenedAt == nil || d.Location.FixAt.Before(*d.OpenedAt) || d.Location.FixAt.After(d.CapturedAt):
			t.Errorf("%s: fix at %v, stop opened at %v, captured at %v; want opened ≤ fix ≤ captured", id, d.Location.FixAt, d.OpenedAt, d.CapturedAt)
		}
		return d
	}
	for _, door := range res.Doors {
		for _, id := range door.Articles {
			place(id, door.Lat, door.Lon, "failed")
		}
	}
	for _, id := range res.Household.Articles {
		d := place(id, res.Household.Lat, res.Household.Lon, "delivered")
		if d.OutcomeFlagged("otp_mismatch") || d.OutcomeFlagged("otp_bypassed") || slices.Contains(res.Household.Coded, id) != d.OTPGiven {
			t.Errorf("%s: code given %v, flags %v; want its code (shared with its group) verified", id, d.OTPGiven, d.Flags)
		}
	}
	t.Logf("server side: doors %v and %v each with their own fix; household %v delivered with %d code step(s); confirm → list %d ms at 4× CPU",
		res.Doors[0].Articles, res.Doors[1].Articles, res.Household.Articles, res.Household.CodeSteps, res.Household.ConfirmMS)
}

// OutcomeFlagged reports whether the outcome carries flag f.
func (d doorDelivery) OutcomeFlagged(f string) bool { return slices.Contains(d.Flags, f) }
