package httpapi_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// householdCodes reads the codes sent to the household's phone, newest
// first, and how many code messages it got.
func (e *env) householdCodes(phone string) []string {
	e.t.Helper()
	r := e.do("GET", "/api/v1/dev/sms?phone="+phone, "", nil)
	var out []string
	for _, m := range regexp.MustCompile(`Give the postman code (\d{6}) `).FindAllStringSubmatch(string(r.body), -1) {
		out = append(out, m[1])
	}
	return out
}

// phoneItems returns the manifest's articles by id, as post1's phone gets
// them.
func phoneItems(t *testing.T, e *env, token, mid string) map[string]map[string]any {
	t.Helper()
	r := e.do("GET", "/api/v1/manifests/"+mid, token, nil)
	if r.status != 200 {
		t.Fatalf("manifest: %d %s", r.status, r.body)
	}
	var m struct {
		Stops []struct {
			Articles []map[string]any `json:"articles"`
		} `json:"stops"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			out[it["id"].(string)] = it
		}
	}
	return out
}

// TestHouseholdAPI: three coded articles of one recipient at a stop get
// one SMS and one code, shown on the phone as one otp_group with one
// otp_check; the code verifies each; five wrong tries across them lock all
// three; a resend sends one SMS whose code replaces the old for all; a
// second recipient at the stop has a group of their own; COD articles
// carry the UPI link the endpoint gives.
func TestHouseholdAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		var dc string
		if err := db.QueryRowForTest(context.Background(), "UPDATE dcs SET upi_vpa = ? WHERE id = ? RETURNING id",
			"koramangala.dc@ippb", "dc-one").Scan(&dc); err != nil {
			t.Fatal(err)
		}
		ids := []string{s10(t, "EE", 15000001), s10(t, "EE", 15000002), s10(t, "EE", 15000003), s10(t, "EE", 15000004)}
		var batch []any
		for _, id := range ids {
			batch = append(batch, item(id))
		}
		batch[3].(map[string]any)["recipient"].(map[string]any)["phone"] = "98450 54321"
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); r.status != 200 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil)
		r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "evening"})
		mid := r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
		if r := e.do("POST", "/api/v1/manifests/"+mid+"/dispatch", sup1, nil); r.status != 200 {
			t.Fatalf("dispatch: %d %s", r.status, r.body)
		}
		home, other := "%2B919845012345", "%2B919845054321"
		codes := e.householdCodes(home)
		if len(codes) != 1 || len(e.householdCodes(other)) != 1 {
			t.Fatalf("code messages: %d to the household, %d to the other recipient; want 1 and 1", len(codes), len(e.householdCodes(other)))
		}
		items := phoneItems(t, e, post1, mid)
		group, check := items[ids[0]]["otp_group"], items[ids[0]]["otp_check"]
		if group == nil || group == "" || check == nil {
			t.Fatalf("no otp_group or otp_check: %v", items[ids[0]])
		}
		for _, id := range ids[:3] {
			if items[id]["otp_group"] != group || items[id]["otp_check"] != check || items[id]["otp_required"] != true {
				t.Errorf("%s: %v, want the household's group %v", id, items[id], group)
			}
			link := e.do("GET", "/api/v1/articles/"+id+"/upi", post1, nil).json(t)["uri"]
			if link == nil || items[id]["upi_uri"] != link || items[ids[3]]["upi_uri"] == nil {
				t.Errorf("%s: upi_uri %v, the endpoint's %v", id, items[id]["upi_uri"], link)
			}
		}
		if g := items[ids[3]]["otp_group"]; g == nil || g == "" || g == group {
			t.Errorf("the second recipient's group %v (household's %v)", g, group)
		}
		verify := func(id, code string) resp {
			return e.do("POST", "/api/v1/articles/"+id+"/otp/verify", post1, map[string]string{"otp": code})
		}
		for _, id := range ids[:3] {
			if r := verify(id, codes[0]); r.status != 200 {
				t.Fatalf("the household's code on %s: %d %s", id, r.status, r.body)
			}
		}
		wrong := "000000"
		if codes[0] == wrong {
			wrong = "000001"
		}
		for i := range 5 {
			wantProblem(t, verify(ids[i%3], wrong), 422)
		}
		for _, id := range ids[:3] {
			wantProblem(t, verify(id, codes[0]), 423)
		}
		if r := e.do("POST", "/api/v1/articles/"+ids[2]+"/otp/resend", post1, nil); r.status >= 300 {
			t.Fatalf("resend: %d %s", r.status, r.body)
		}
		after := e.householdCodes(home)
		if len(after) != 2 {
			t.Fatalf("%d code messages after one resend, want 2", len(after))
		}
		fresh := after[0]
		if fresh == codes[0] {
			fresh = after[1] // same clock: the order may tie
		}
		for _, id := range ids[:3] {
			wantProblem(t, verify(id, codes[0]), 422)
			if r := verify(id, fresh); r.status != 200 {
				t.Fatalf("the new code on %s: %d %s", id, r.status, r.body)
			}
		}
		items = phoneItems(t, e, post1, mid)
		for _, id := range ids[:3] {
			if items[id]["otp_check"] == check || items[id]["otp_check"] != items[ids[0]]["otp_check"] || items[id]["otp_group"] != group {
				t.Errorf("%s after the resend: %v", id, items[id])
			}
		}
	})
}
