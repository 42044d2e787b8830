package main

import (
	"fmt"
	"testing"
)

// TestConsoleCash runs e2e/console-cash.mjs: with the demo slot dispatched,
// the pictures are each a sentence before any outcome; then, with
// cash-on-delivery articles delivered through the API by cash and by UPI
// and one failed attempt, a supervisor opens the console's cash screen, sees each postman's
// cash expected and collected, records a handover short by 50 rupees with
// a double click, sees it called short, closes it, corrects it with a
// reason, downloads the CSV ledger, and in Hindi settles a second postman
// over (the first answer lost on its way back, the same values sent
// again); then the pictures, each drawing as many bars as the statistics
// have values. Then this test reads the ledger on the server: exactly the
// entries the screen made (one per submission despite the double click
// and the retry),
// the correction naming the entry it corrects, the slot closed.
func TestConsoleCash(t *testing.T) {
	var res struct {
		Date, Slot    string
		Postman       string
		ExpectedPaise int64 `json:"expected_paise"`
		Second        string
		SecondPaise   int64 `json:"second_paise"`
	}
	run := runConsole(t, "console-cash.mjs", func(base string, _ map[string]string) { dispatchFirstSlot(t, base) }, &res)
	base := run.base
	if res.Postman == "" || res.Date == "" {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkLedger(t, base, res.Date, res.Slot, res.Postman, res.ExpectedPaise, res.Second, res.SecondPaise)
	posts := 0
	for _, r := range run.requests() {
		if r.Status >= 500 || (r.User == "supervisor1" && r.Status == 403) {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
		if r.Method == "POST" && r.Path == "/api/v1/dcs/blr-koramangala/cod/settlements" {
			posts++
		}
	}
	want := 2 // the handover (double-clicked) and the correction
	if res.Second != "" {
		want += 2 // the handover whose answer was lost, and its retry
	}
	if posts != want {
		t.Errorf("%d settlement requests reached the server, want %d: one per submission, and the retry", posts, want)
	}
	run.keepScreenshots(t)
}

// ledgerEntry is one settlement entry as the API lists it.
type ledgerEntry struct {
	ID           string `json:"id"`
	PostmanID    string `json:"postman_id"`
	CashReceived int64  `json:"cash_received_paise"`
	Difference   int64  `json:"difference_paise"`
	Note         string `json:"note"`
	CorrectionOf string `json:"correction_of"`
}

// checkLedger: the first postman has the short handover and its
// correction (balanced, closed); the second, if any, one entry.
func checkLedger(t *testing.T, base, date, slot, postman string, expected int64, second string, secondPaise int64) {
	t.Helper()
	sup := login(t, base, "supervisor1")
	q := fmt.Sprintf("date=%s&slot=%s", date, slot)
	var ledger struct{ Items []ledgerEntry }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/cod/settlements?"+q, sup, 200, &ledger)
	var mine, theirs []ledgerEntry
	for _, e := range ledger.Items {
		switch e.PostmanID {
		case postman:
			mine = append(mine, e)
		case second:
			theirs = append(theirs, e)
		default:
			t.Errorf("an entry for a postman the script did not settle: %+v", e)
		}
	}
	if len(mine) != 2 {
		t.Fatalf("%d entries for %s, want the handover and its correction (a double click must add one): %+v", len(mine), postman, mine)
	}
	if h, c := mine[0], mine[1]; h.CashReceived != expected-5000 || h.Difference != -5000 || h.CorrectionOf != "" ||
		c.CashReceived != 5000 || c.CorrectionOf != h.ID || c.Note == "" || c.Difference != 0 {
		t.Errorf("entries %+v; want %d paise handed over (50 rupees short), then a correction of 5000 with a reason", mine, expected-5000)
	}
	if second != "" && (len(theirs) != 1 || theirs[0].CashReceived != secondPaise) {
		t.Errorf("second postman %s: entries %+v, want one of %d paise", second, theirs, secondPaise)
	}
	closed := closedBy(t, base, sup, q)
	if c, ok := closed[postman]; !ok || !c {
		t.Errorf("the settlement of %s is not closed (listed: %v)", postman, ok)
	}
	if c, ok := closed[second]; second != "" && (!ok || c) {
		t.Errorf("the settlement of %s: listed %v, closed %v; the script left it open", second, ok, c)
	}
	t.Logf("server side: %s settled in 2 entries (short handover, correction), closed; second postman %q one entry", postman, second)
}

// closedBy reads the slot's cash lines (q: date and slot) and says, for
// each postman listed, whether their settlement is closed.
func closedBy(t *testing.T, base, sup, q string) map[string]bool {
	t.Helper()
	var lines struct {
		Items []struct {
			PostmanID string `json:"postman_id"`
			Closed    bool
		}
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/cod?"+q, sup, 200, &lines)
	out := map[string]bool{}
	for _, l := range lines.Items {
		out[l.PostmanID] = l.Closed
	}
	return out
}
