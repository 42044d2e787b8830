package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// sortSlot makes five articles on beat A (two of one household) and one
// on beat C, which has no postman, schedules them into the evening of 2026-11-25, builds
// the drafts and returns the ids and the beat's draft id.
func (e *env) sortSlot(t *testing.T, sup, admin string) ([]string, string, string) {
	t.Helper()
	if r := e.do("POST", "/api/v1/dcs/dc-one/beats", admin, map[string]any{"id": "beat-c", "name": "Beat C", "pins": []string{"560047"}}); r.status != 201 {
		t.Fatalf("beat: %d %s", r.status, r.body)
	}
	var batch []any
	var ids []string
	for i := range 5 {
		id := s10(t, "RR", 14000001+i)
		it := item(id)
		rc := it["recipient"].(map[string]any)
		house := min(i, 3) // the last two are one household
		rc["lon"] = 77.6212 + float64(house)*0.002
		rc["address"] = fmt.Sprintf("House %d, 5th Cross, Koramangala", house)
		batch, ids = append(batch, it), append(ids, id)
	}
	lost := s10(t, "EE", 14000009)
	far := item(lost)
	far["recipient"].(map[string]any)["pin"] = "560047"
	batch = append(batch, far)
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup, batch); r.status != 200 {
		t.Fatal(r.status, string(r.body))
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup, nil); r.status != 200 {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/v1/articles/"+lost+"/schedule", sup, map[string]string{"date": "2026-11-25", "slot": "evening"}); r.status != 200 {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup, map[string]string{"date": "2026-11-25", "slot": "evening"})
	if r.status != 201 {
		t.Fatalf("build: %d %s", r.status, r.body)
	}
	return ids, lost, r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
}

// newSorter makes a sorter of dc-one through the users API and signs in.
func (e *env) newSorter(t *testing.T, admin string) string {
	t.Helper()
	wantProblem(t, e.do("POST", "/api/v1/users", admin, map[string]any{"username": "sorta", "name": "Sort A", "role": "sorter",
		"password": password}), 400) // a sorter belongs to a centre
	r := e.do("POST", "/api/v1/users", admin, map[string]any{"username": "sort1", "name": "Sort One", "role": "sorter",
		"dc_id": "dc-one", "password": password})
	if r.status != 201 || r.json(t)["role"] != "sorter" {
		t.Fatalf("create sorter: %d %s", r.status, r.body)
	}
	return e.login("sort1")
}

func scan(id, version string) map[string]any {
	return map[string]any{"id": uuid.NewString(), "article_id": id, "plan_version": version, "at": "2026-11-25T05:00:00Z"}
}

func batchOf(scans ...map[string]any) map[string]any {
	list := make([]any, len(scans))
	for i, s := range scans {
		list[i] = s
	}
	return map[string]any{"date": "2026-11-25", "slot": "evening", "scans": list}
}

func TestSortPlanAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, admin := e.login("sup1"), e.login("admin")
		ids, lost, draft := e.sortSlot(t, sup1, admin)
		sorter := e.newSorter(t, admin)
		plan := e.do("GET", "/api/v1/dcs/dc-one/sort-plan", sorter, nil) // the next slot: this evening
		if plan.status != 200 {
			t.Fatalf("plan: %d %s", plan.status, plan.body)
		}
		p := plan.json(t)
		if p["date"] != "2026-11-25" || p["slot"] != "evening" || len(p["places"].([]any)) != 5 {
			t.Fatalf("plan: %s", plan.body)
		}
		beat := p["beats"].([]any)[0].(map[string]any)
		if beat["id"] != "beat-a" || beat["postman_name"] != "Post One" || beat["manifest_id"] != draft ||
			beat["cases"] != 4.0 || beat["expected"] != 5.0 || beat["sorted"] != 0.0 || beat["colour"] == nil {
			t.Fatalf("beat: %v", beat)
		}
		probs := p["problems"].([]any)
		if len(probs) != 1 || probs[0].(map[string]any)["article_id"] != lost || probs[0].(map[string]any)["reason"] != "no_postman" {
			t.Fatalf("problems: %v", probs)
		}
		checkCaseOrder(t, e, sup1, draft, p)
		version := p["version"].(string)
		testSortScans(t, e, sorter, version, ids, lost)
		testSortAccess(t, e, sorter)
		testSortPDF(t, e, sup1, sorter, beat["postman_id"].(string))
		// A rebuild after sorting started: the plan's version moves on, and
		// a scan made with the old one is answered stale (and still kept).
		if r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "evening"}); r.status != 201 {
			t.Fatalf("rebuild: %d %s", r.status, r.body)
		}
		again := e.do("GET", "/api/v1/dcs/dc-one/sort-plan?date=2026-11-25&slot=evening", sup1, nil).json(t)
		if again["version"] == version {
			t.Fatal("the plan's version did not change with the rebuild")
		}
		r := e.do("POST", "/api/v1/dcs/dc-one/sort-scans", sorter, batchOf(scan(ids[0], version)))
		if r.status != 200 || r.json(t)["stale"] != true || r.json(t)["plan_version"] != again["version"] {
			t.Fatalf("stale scan: %d %s", r.status, r.body)
		}
	})
}

// checkCaseOrder checks that the cases follow the draft's stops: case n is
// stop n, every article of a stop shares it.
func checkCaseOrder(t *testing.T, e *env, sup, draft string, plan map[string]any) {
	t.Helper()
	m := e.do("GET", "/api/v1/manifests/"+draft, sup, nil).json(t)
	want := map[string]float64{}
	for i, st := range m["stops"].([]any) {
		for _, a := range st.(map[string]any)["articles"].([]any) {
			want[a.(map[string]any)["id"].(string)] = float64(i + 1)
		}
	}
	cases := map[float64]int{}
	for _, pl := range plan["places"].([]any) {
		pl := pl.(map[string]any)
		if pl["case"] != want[pl["article_id"].(string)] {
			t.Fatalf("%s in case %v, its stop is %v", pl["article_id"], pl["case"], want[pl["article_id"].(string)])
		}
		cases[pl["case"].(float64)]++
	}
	if len(cases) != 4 || cases[float64(len(m["stops"].([]any)))] == 0 {
		t.Fatalf("cases: %v", cases)
	}
}

func testSortScans(t *testing.T, e *env, sorter, version string, ids []string, lost string) {
	t.Helper()
	var scans []map[string]any
	for _, id := range ids {
		scans = append(scans, scan(strings.ToLower(id), version)) // as typed
	}
	scans = append(scans, scan("RR999999999IN", version), scan(lost, version), scan("not-an-id", version))
	r := e.do("POST", "/api/v1/dcs/dc-one/sort-scans", sorter, batchOf(scans...))
	if r.status != 200 || r.json(t)["stale"] != false {
		t.Fatalf("scans: %d %s", r.status, r.body)
	}
	res := r.json(t)["results"].([]any)
	for i, x := range res {
		x := x.(map[string]any)
		placed := x["beat_id"] == "beat-a" && x["case"].(float64) >= 1
		if i < 5 && (!placed || x["article_id"] != ids[i]) || i >= 5 && (placed || x["problem"] == nil) {
			t.Fatalf("result %d: %v", i, x)
		}
	}
	for i, why := range []string{"unknown", "no_postman", "unknown"} {
		if got := res[5+i].(map[string]any)["problem"].(map[string]any)["reason"]; got != why {
			t.Fatalf("problem %d: %v, want %s", i, got, why)
		}
	}
	if c := r.json(t)["counts"].([]any)[0].(map[string]any); c["sorted"] != 5.0 || c["expected"] != 5.0 {
		t.Fatalf("counts: %v", c)
	}
	// The same scans again (a phone retrying) are kept once.
	if again := e.do("POST", "/api/v1/dcs/dc-one/sort-scans", sorter, batchOf(scans...)); again.status != 200 || e.count("sort_scans") != 8 {
		t.Fatalf("repeat: %d, %d rows", again.status, e.count("sort_scans"))
	}
	testSortBadInput(t, e, sorter, version)
	pr := e.do("GET", "/api/v1/dcs/dc-one/sort-plan/progress?date=2026-11-25&slot=evening", sorter, nil)
	if pr.status != 200 || !strings.Contains(string(pr.body), `"counts":[{"beat_id":"beat-a","sorted":5,"expected":5}]`) {
		t.Fatalf("progress: %d %s", pr.status, pr.body)
	}
}

func testSortBadInput(t *testing.T, e *env, sorter, version string) {
	t.Helper()
	path := "/api/v1/dcs/dc-one/sort-scans"
	ok := scan("RR140000017IN", version)
	many := make([]map[string]any, 501)
	for i := range many {
		many[i] = scan("RR140000017IN", version)
	}
	dup := scan("RR140000017IN", version)
	for name, body := range map[string]any{
		"malformed":     `{"date":"2026-11-25",`,
		"unknown field": `{"date":"2026-11-25","slot":"evening","scans":[],"x":1}`,
		"no scans":      batchOf(),
		"too many":      batchOf(many...),
		"bad date":      map[string]any{"date": "25-11-2026", "slot": "evening", "scans": []any{ok}},
		"bad slot":      map[string]any{"date": "2026-11-25", "slot": "noon", "scans": []any{ok}},
		"bad version":   batchOf(scan("RR140000017IN", "v1")),
		"no time":       batchOf(map[string]any{"id": uuid.NewString(), "article_id": "RR140000017IN", "plan_version": version}),
		"bad scan id":   batchOf(map[string]any{"id": "x", "article_id": "RR140000017IN", "plan_version": version, "at": "2026-11-25T05:00:00Z"}),
		"twice":         batchOf(dup, dup),
		"long id":       batchOf(scan(strings.Repeat("R", 41), version)),
	} {
		if r := e.do("POST", path, sorter, body); r.status != 400 {
			t.Fatalf("%s: %d %s", name, r.status, r.body)
		}
	}
	wantProblem(t, e.do("POST", path, sorter, `{}`, "Content-Type", "text/plain"), 415)
	wantProblem(t, e.do("POST", path, sorter, `{"date":"`+strings.Repeat("x", 300<<10)+`"}`), 413)
	if n := e.count("sort_scans"); n != 8 {
		t.Fatalf("refused batches kept scans: %d rows", n)
	}
}

// testSortAccess: the centre's sorter sorts and does nothing else; a
// postman may not sort; another centre's staff find nothing.
func testSortAccess(t *testing.T, e *env, sorter string) {
	t.Helper()
	post1, sup2, admin := e.login("post1"), e.login("sup2"), e.login("admin")
	for _, path := range []string{"/api/v1/dcs/dc-one/articles", "/api/v1/dcs/dc-one/manifests", "/api/v1/users", "/api/v1/dcs",
		"/api/v1/articles/RR140000017IN", "/api/v1/dcs/dc-one"} {
		wantProblem(t, e.do("GET", path, sorter, nil), 403)
	}
	wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", sorter, map[string]string{"date": "2026-11-25", "slot": "evening"}), 403)
	if r := e.do("GET", "/api/v1/me", sorter, nil); r.status != 200 || r.json(t)["role"] != "sorter" {
		t.Fatalf("me: %d %s", r.status, r.body)
	}
	q := "?date=2026-11-25&slot=evening"
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan"+q, post1, nil), 403)
	wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/sort-scans", post1, batchOf(scan("RR140000017IN", "0123456789abcdef"))), 403)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan/progress"+q, post1, nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan"+q, sup2, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-two/sort-plan"+q, sorter, nil), 404)
	wantProblem(t, e.do("POST", "/api/v1/dcs/dc-two/sort-scans", sorter, batchOf(scan("RR140000017IN", "0123456789abcdef"))), 404)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-nine/sort-plan"+q, admin, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan?date=2026-13-01&slot=evening", sorter, nil), 400)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan?date=2026-11-25&slot=noon", sorter, nil), 400)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan/progress?slot=evening", sorter, nil), 400)
	if r := e.do("GET", "/api/v1/dcs/dc-two/sort-plan"+q, sup2, nil); r.status != 200 || !strings.Contains(string(r.body), `"beats":[]`) {
		t.Fatalf("an empty slot: %d %s", r.status, r.body)
	}
}

func testSortPDF(t *testing.T, e *env, sup, sorter, postman string) {
	t.Helper()
	q := "/api/v1/dcs/dc-one/sort-plan.pdf?date=2026-11-25&slot=evening"
	for _, path := range []string{q, q + "&postman=" + postman} {
		r := e.do("GET", path, sorter, nil)
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.body), "%PDF") {
			t.Fatalf("pdf: %d %s", r.status, r.header)
		}
	}
	wantProblem(t, e.do("GET", q+"&postman=nobody", sup, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/sort-plan.pdf?slot=evening", sup, nil), 400)
	wantProblem(t, e.do("GET", q, e.login("post1"), nil), 403)
	wantProblem(t, e.do("GET", q, e.login("sup2"), nil), 404)
	if r := e.do("GET", q, sup, nil); r.status != 200 || r.header.Get("Content-Disposition") == "" {
		t.Fatalf("pdf for the supervisor: %d %v", r.status, r.header)
	}
}
