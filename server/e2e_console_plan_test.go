package main

import (
	"slices"
	"testing"
)

// TestConsolePlan runs e2e/console-plan.mjs: the demo supervisor of centre
// 1 sets postman2 on leave for the next morning slot in the roster,
// proposes balanced beats, compares them with the fixed beats, chooses the
// plan, builds and dispatches on the slots screen. Then it checks the
// server: every manifest of the slot dispatched, none for the postman on
// leave, and the others holding every article of the slot; the plan
// chosen; no request refused or failed.
func TestConsolePlan(t *testing.T) {
	var res struct {
		Date, Slot string
		OnLeave    string `json:"on_leave"`
		Articles   int
		Manifests  []string
	}
	run := runConsole(t, "console-plan.mjs", nil, &res)
	if res.OnLeave == "" || len(res.Manifests) < 2 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, run.base, "supervisor1")
	var list []struct {
		ID, Status string
		PostmanID  string `json:"postman_id"`
		Articles   int
	}
	getJSON(t, run.base+"/api/v1/dcs/blr-koramangala/manifests?date="+res.Date+"&slot="+res.Slot, sup, 200, &list)
	carried := 0
	for _, m := range list {
		if m.Status != "dispatched" || m.PostmanID == res.OnLeave || !slices.Contains(res.Manifests, m.ID) {
			t.Errorf("manifest %+v: want dispatched, one the browser saw, not for the postman on leave", m)
		}
		carried += m.Articles
	}
	var left struct{ Items []struct{ ID string } }
	getJSON(t, run.base+"/api/v1/dcs/blr-koramangala/articles?status=scheduled&date="+res.Date+"&slot="+res.Slot, sup, 200, &left)
	if carried != res.Articles || len(left.Items) != 0 || len(list) != len(res.Manifests) {
		t.Errorf("%d manifests carry %d articles of %d; %d still scheduled", len(list), carried, res.Articles, len(left.Items))
	}
	for _, r := range run.requests() {
		if r.Status == 403 || r.Status >= 500 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
	}
	t.Logf("%s %s: %d manifests carry all %d articles; postman %s on leave has none", res.Date, res.Slot, len(list), carried, res.OnLeave)
	run.keepScreenshots(t)
}
