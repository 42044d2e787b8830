package main

import (
	"fmt"
	"slices"
	"testing"
)

// slotRun is what e2e/console-slot.mjs did.
type slotRun struct {
	Date, Slot string
	Manifests  []string
	Manifest   string
	Delivered  string
	Delivery   string
	Failed     []string
	Postman    string
	CashPaise  int64 `json:"cash_paise"`
	SeenMS     int   `json:"seen_ms"`
}

// TestConsoleWholeSlot runs e2e/console-slot.mjs: a supervisor runs a whole
// slot of demo centre 1 from the console alone (build, dispatch, live
// progress while postman1 works two doors in the phone app in a second
// browser context, review of the delivery with its proofs visibly loaded,
// the cash counted in and closed), in English and Hindi. Then this test
// reads the server: every manifest dispatched, the delivery recorded with
// its two proofs and cash, approved by supervisor1; the failed articles
// attempted; the settlement one balanced entry, closed.
func TestConsoleWholeSlot(t *testing.T) {
	var res slotRun
	run := runConsole(t, "console-slot.mjs", nil, &res)
	base := run.base
	if res.Delivery == "" || len(res.Manifests) == 0 || res.CashPaise == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, base, "supervisor1")
	checkSlotManifests(t, base, sup, res)
	checkSlotOutcomes(t, base, sup, res)
	checkSlotCash(t, base, sup, res)
	for _, r := range run.requests() {
		if r.Status >= 500 || r.Status == 403 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
	}
	t.Logf("whole slot from the console: %d manifests dispatched, the delivery on the supervisor's screen %d ms after the phone saved it, reviewed, cash closed",
		len(res.Manifests), res.SeenMS)
	run.keepScreenshots(t)
}

func checkSlotManifests(t *testing.T, base, sup string, res slotRun) {
	t.Helper()
	if !slices.Contains(res.Manifests, res.Manifest) {
		t.Errorf("postman1's manifest %s is not among those dispatched: %v", res.Manifest, res.Manifests)
	}
	for _, id := range res.Manifests {
		var m struct{ Status, Date, Slot string }
		getJSON(t, base+"/api/v1/manifests/"+id, sup, 200, &m)
		if m.Status != "dispatched" || m.Date != res.Date || m.Slot != res.Slot {
			t.Errorf("manifest %s: %+v, want dispatched for %s %s", id, m, res.Date, res.Slot)
		}
	}
}

func checkSlotOutcomes(t *testing.T, base, sup string, res slotRun) {
	t.Helper()
	var list struct {
		Items []struct {
			ID, Outcome, Review string
			ArticleID           string   `json:"article_id"`
			ProofIDs            []string `json:"proof_ids"`
			COD                 *struct {
				Mode        string
				AmountPaise int64 `json:"amount_paise"`
			}
			Reviews []struct {
				ReviewerID string `json:"reviewer_id"`
				Decision   string
			}
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/dcs/blr-koramangala/deliveries?date=%s&slot=%s", base, res.Date, res.Slot), sup, 200, &list)
	var found bool
	var me struct{ ID string }
	getJSON(t, base+"/api/v1/me", sup, 200, &me)
	for _, d := range list.Items {
		if d.ID != res.Delivery {
			continue
		}
		found = true
		if d.ArticleID != res.Delivered || d.Outcome != "delivered" || d.Review != "approved" || len(d.ProofIDs) != 2 ||
			d.COD == nil || d.COD.Mode != "cash" || d.COD.AmountPaise != res.CashPaise {
			t.Errorf("delivery %s: %+v; want %s delivered with 2 proofs and %d paise in cash, approved", d.ID, d, res.Delivered, res.CashPaise)
		}
		if len(d.Reviews) != 1 || d.Reviews[0].ReviewerID != me.ID || d.Reviews[0].Decision != "approved" {
			t.Errorf("delivery %s reviews %+v; want one approval by supervisor1 (%s)", d.ID, d.Reviews, me.ID)
		}
	}
	if !found {
		t.Fatalf("delivery %s is not in the slot's list", res.Delivery)
	}
	for _, id := range res.Failed {
		var a struct{ Status string }
		getJSON(t, base+"/api/v1/articles/"+id, sup, 200, &a)
		if a.Status != "attempted" {
			t.Errorf("article %s, failed at the door, is %s", id, a.Status)
		}
	}
}

func checkSlotCash(t *testing.T, base, sup string, res slotRun) {
	t.Helper()
	q := fmt.Sprintf("date=%s&slot=%s", res.Date, res.Slot)
	var ledger struct{ Items []ledgerEntry }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/cod/settlements?"+q, sup, 200, &ledger)
	if len(ledger.Items) != 1 || ledger.Items[0].PostmanID != res.Postman || ledger.Items[0].CashReceived != res.CashPaise ||
		ledger.Items[0].Difference != 0 {
		t.Errorf("settlements %+v; want one of %d paise from %s, balanced", ledger.Items, res.CashPaise, res.Postman)
	}
	if c, ok := closedBy(t, base, sup, q)[res.Postman]; !ok || !c {
		t.Errorf("the settlement of %s is not closed (listed: %v)", res.Postman, ok)
	}
}
