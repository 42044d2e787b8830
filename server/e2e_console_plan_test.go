package main

import (
	"slices"
	"testing"
)

// TestConsolePlan runs e2e/console-plan.mjs: the demo supervisor of centre
// 1 sets one postman on leave, with no reliever, for the lightest morning
// or evening slot after today in the roster, proposes balanced beats, compares them
// with the fixed beats (which leave that postman's articles without a
// postman), chooses the plan, builds and dispatches on the slots screen.
// Then it checks the server: no manifest for the postman on leave; the
// others' manifests dispatched, each within its capacity, together holding
// every article of the slot; no request refused or failed.
func TestConsolePlan(t *testing.T) {
	var res struct {
		Date, Slot string
		OnLeave    string `json:"on_leave"`
		Articles   []string
		Moved      int
		Manifests  []string
	}
	run := runConsole(t, "console-plan.mjs", nil, &res)
	if res.OnLeave == "" || len(res.Manifests) < 2 || len(res.Articles) == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, run.base, "supervisor1")
	var list []struct {
		ID, Status string
		PostmanID  string `json:"postman_id"`
		Load       struct {
			Letters, Capacity float64
			Over              bool
		}
	}
	getJSON(t, run.base+"/api/v1/dcs/blr-koramangala/manifests?date="+res.Date+"&slot="+res.Slot, sup, 200, &manifestPage{Items: &list})
	if len(list) != len(res.Manifests) {
		t.Errorf("%d manifests on the server, the browser saw %d", len(list), len(res.Manifests))
	}
	var carried []string
	for _, m := range list {
		if m.Status != "dispatched" || m.PostmanID == res.OnLeave || !slices.Contains(res.Manifests, m.ID) {
			t.Errorf("manifest %+v: want dispatched, one the browser saw, not for the postman on leave", m)
		}
		if m.Load.Over || m.Load.Letters > m.Load.Capacity {
			t.Errorf("manifest %s of %s over capacity: %+v", m.ID, m.PostmanID, m.Load)
		}
		var body struct {
			Stops []struct{ Articles []struct{ ID string } }
		}
		getJSON(t, run.base+"/api/v1/manifests/"+m.ID, sup, 200, &body)
		for _, st := range body.Stops {
			for _, a := range st.Articles {
				carried = append(carried, a.ID)
			}
		}
	}
	slices.Sort(carried)
	want := slices.Sorted(slices.Values(res.Articles))
	if !slices.Equal(carried, want) {
		t.Errorf("the manifests carry %d articles %v; the slot has %d: %v", len(carried), carried, len(want), want)
	}
	var left struct{ Items []struct{ ID string } }
	getJSON(t, run.base+"/api/v1/dcs/blr-koramangala/articles?status=scheduled&date="+res.Date+"&slot="+res.Slot, sup, 200, &left)
	if len(left.Items) != 0 {
		t.Errorf("%d articles of the slot still scheduled", len(left.Items))
	}
	for _, r := range run.requests() {
		if r.Status == 403 || r.Status >= 500 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
	}
	t.Logf("%s %s: %d manifests carry all %d articles (%d moved off the beat on leave); postman %s on leave has none",
		res.Date, res.Slot, len(list), len(carried), res.Moved, res.OnLeave)
	run.keepScreenshots(t)
}
