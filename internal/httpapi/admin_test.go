package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// refusal is one request an endpoint must refuse with a problem document.
type refusal struct {
	name   string
	token  string
	path   string // the table's path when empty
	body   any
	ctype  string // application/json when empty
	status int
	field  string // a field the problem's errors list must name, if any
}

// checkRefusals posts each case and wants its problem, the field named in
// the errors list, and no change to table's rows. Each case is measured on
// its own, so one wrongly accepted request does not fail the next ones.
func checkRefusals(t *testing.T, e *env, path, table string, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.count(table)
			var hdr []string
			if c.ctype != "" {
				hdr = []string{"Content-Type", c.ctype}
			}
			p := c.path
			if p == "" {
				p = path
			}
			prob := wantProblem(t, e.do("POST", p, c.token, c.body, hdr...), c.status)
			if c.field != "" {
				wantField(t, prob, c.field)
			}
			if n := e.count(table); n != before {
				t.Fatalf("refused request changed %s from %d to %d rows", table, before, n)
			}
		})
	}
}

// wantField checks that a problem's errors list names field with a message.
func wantField(t *testing.T, p map[string]any, field string) {
	t.Helper()
	list, _ := p["errors"].([]any)
	for _, x := range list {
		fe, _ := x.(map[string]any)
		if fe["field"] == field && fe["message"] != "" && fe["message"] != nil {
			return
		}
	}
	t.Fatalf("errors list %v does not name %q", p["errors"], field)
}

// with returns a copy of base with over applied; a nil value deletes a key.
func with(base, over map[string]any) map[string]any {
	m := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

// userID returns the id of a user from GET /api/v1/me.
func userID(t *testing.T, e *env, token string) string {
	t.Helper()
	r := e.do("GET", "/api/v1/me", token, nil)
	id, _ := r.json(t)["id"].(string)
	if r.status != 200 || id == "" {
		t.Fatalf("me: %d %s", r.status, r.body)
	}
	return id
}

// wantFields checks that a JSON object has the wanted values; a nil wanted
// value means the member is absent or null.
func wantFields(t *testing.T, got, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// wantNoSecret checks that a user body carries neither the password nor
// any form of its hash.
func wantNoSecret(t *testing.T, r resp, pw string) {
	t.Helper()
	body := strings.ToLower(string(r.body))
	for _, s := range []string{strings.ToLower(pw), "password", "hash", "argon2"} {
		if strings.Contains(body, s) {
			t.Fatalf("user body leaks %q: %s", s, r.body)
		}
	}
}

var newUser = map[string]any{"username": "post9", "name": "Post Nine", "role": "postman", "dc_id": "dc-one", "password": password}

func TestCreateUsersAPI(t *testing.T) {
	cases := []struct {
		name string
		in   map[string]any
		want map[string]any
	}{
		{"postman", with(newUser, map[string]any{"username": "  Post.Two "}),
			map[string]any{"username": "post.two", "name": "Post Nine", "role": "postman", "dc_id": "dc-one", "locale": "en"}},
		{"supervisor in hindi", with(newUser, map[string]any{"username": "sup9", "role": "supervisor", "dc_id": "dc-two", "locale": "hi"}),
			map[string]any{"username": "sup9", "role": "supervisor", "dc_id": "dc-two", "locale": "hi"}},
		{"admin", with(newUser, map[string]any{"username": "admin2", "role": "admin", "dc_id": nil}),
			map[string]any{"username": "admin2", "role": "admin", "dc_id": nil}},
	}
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/users", admin, c.in)
				if r.status != 201 {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
				wantNoSecret(t, r, password)
				u := r.json(t)
				wantFields(t, u, c.want)
				me := e.do("GET", "/api/v1/me", e.login(u["username"].(string)), nil)
				if me.status != 200 || me.json(t)["id"] != u["id"] || u["id"] == "" {
					t.Fatalf("new user's /me: %d %s, created %s", me.status, me.body, r.body)
				}
			})
		}
		// Refusals the database decides, on both databases.
		checkRefusals(t, e, "/api/v1/users", "users", []refusal{
			{name: "taken username", token: admin, body: with(newUser, map[string]any{"username": "SUP1"}), status: 409},
			{name: "unknown dc_id", token: admin, body: with(newUser, map[string]any{"dc_id": "dc-nine"}), status: 400, field: "dc_id"},
		})
	})
}

func TestCreateUsersAPIBadInput(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	admin, sup1, post1 := e.login("admin"), e.login("sup1"), e.login("post1")
	u := func(over map[string]any) map[string]any { return with(newUser, over) }
	checkRefusals(t, e, "/api/v1/users", "users", []refusal{
		{name: "no token", body: newUser, status: 401},
		{name: "postman", token: post1, body: newUser, status: 403},
		{name: "supervisor", token: sup1, body: newUser, status: 403},
		{name: "malformed JSON", token: admin, body: `{"username":`, status: 400},
		{name: "unknown field", token: admin, body: u(map[string]any{"is_admin": true}), status: 400},
		{name: "wrong type", token: admin, body: u(map[string]any{"username": 5}), status: 400},
		{name: "missing username", token: admin, body: u(map[string]any{"username": nil}), status: 400, field: "username"},
		{name: "missing name", token: admin, body: u(map[string]any{"name": nil}), status: 400, field: "name"},
		{name: "missing password", token: admin, body: u(map[string]any{"password": nil}), status: 400, field: "password"},
		{name: "short password", token: admin, body: u(map[string]any{"password": "short"}), status: 400, field: "password"},
		{name: "bad role", token: admin, body: u(map[string]any{"role": "courier"}), status: 400, field: "role"},
		{name: "admin with dc_id", token: admin, body: u(map[string]any{"role": "admin"}), status: 400, field: "dc_id"},
		{name: "postman without dc_id", token: admin, body: u(map[string]any{"dc_id": nil}), status: 400, field: "dc_id"},
		{name: "unknown dc_id", token: admin, body: u(map[string]any{"dc_id": "dc-nine"}), status: 400, field: "dc_id"},
		{name: "taken username", token: admin, body: u(map[string]any{"username": "sup1"}), status: 409},
		{name: "over 64 KiB", token: admin, body: u(map[string]any{"name": strings.Repeat("x", 65<<10)}), status: 413},
		{name: "wrong content type", token: admin, body: `username=post9`, ctype: "text/plain", status: 415},
	})
}

var newDC = map[string]any{"id": "dc-three", "name": "Mumbai GPO", "address": "Walchand Hirachand Marg", "pin": "400001",
	"lat": 18.9388, "lon": 72.8354}

func TestCreateDCAPI(t *testing.T) {
	cases := []struct {
		name string
		in   map[string]any
		zone string
	}{
		{"default zone", newDC, "Asia/Kolkata"},
		{"explicit zone", with(newDC, map[string]any{"id": "dc-four", "time_zone": "Asia/Kolkata", "upi_vpa": "dc4@sbi"}), "Asia/Kolkata"},
	}
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				digipin, err := postal.EncodeDIGIPIN(c.in["lat"].(float64), c.in["lon"].(float64))
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]any{"id": c.in["id"], "name": c.in["name"], "pin": c.in["pin"], "digipin": digipin, "time_zone": c.zone}
				r := e.do("POST", "/api/v1/dcs", admin, c.in)
				if r.status != 201 {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
				wantFields(t, r.json(t), want)
				wantNoBeats(t, r, "created")
				g := e.do("GET", "/api/v1/dcs/"+c.in["id"].(string), admin, nil)
				if g.status != 200 {
					t.Fatalf("get: %d %s", g.status, g.body)
				}
				wantFields(t, g.json(t), want)
				wantNoBeats(t, g, "read back")
			})
		}
		checkRefusals(t, e, "/api/v1/dcs", "dcs", []refusal{{name: "duplicate id", token: admin, body: newDC, status: 409}})
	})
}

// wantNoBeats checks that a centre's beats are an empty list, not null.
func wantNoBeats(t *testing.T, r resp, what string) {
	t.Helper()
	if beats, ok := r.json(t)["beats"].([]any); !ok || len(beats) != 0 {
		t.Errorf("%s centre: beats = %v, want an empty list: %s", what, r.json(t)["beats"], r.body)
	}
}

func TestCreateDCAPIBadInput(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	admin, sup1, post1 := e.login("admin"), e.login("sup1"), e.login("post1")
	d := func(over map[string]any) map[string]any { return with(newDC, over) }
	checkRefusals(t, e, "/api/v1/dcs", "dcs", []refusal{
		{name: "no token", body: newDC, status: 401},
		{name: "supervisor", token: sup1, body: newDC, status: 403},
		{name: "postman", token: post1, body: newDC, status: 403},
		{name: "bad id", token: admin, body: d(map[string]any{"id": "DC Three!"}), status: 400, field: "id"},
		{name: "one-letter id", token: admin, body: d(map[string]any{"id": "x"}), status: 400, field: "id"},
		{name: "empty name", token: admin, body: d(map[string]any{"name": "   "}), status: 400, field: "name"},
		{name: "bad PIN", token: admin, body: d(map[string]any{"pin": "012345"}), status: 400, field: "pin"},
		{name: "outside India", token: admin, body: d(map[string]any{"lat": 51.5074, "lon": -0.1278}), status: 400, field: "lat"},
		{name: "no coordinates", token: admin, body: d(map[string]any{"lat": nil, "lon": nil}), status: 400, field: "lat"},
		{name: "unknown time zone", token: admin, body: d(map[string]any{"time_zone": "Mars/Olympus"}), status: 400, field: "time_zone"},
		{name: "server-local time zone", token: admin, body: d(map[string]any{"time_zone": "Local"}), status: 400, field: "time_zone"},
		{name: "malformed JSON", token: admin, body: `{"id":"dc-three",`, status: 400},
		{name: "read-only digipin", token: admin, body: d(map[string]any{"digipin": "39J-49L-L8T4"}), status: 400},
		{name: "read-only beats", token: admin, body: d(map[string]any{"beats": []any{}}), status: 400},
		{name: "duplicate id", token: admin, body: d(map[string]any{"id": "dc-one"}), status: 409},
	})
}

func TestGetDCAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tok := map[string]string{"admin": e.login("admin"), "sup1": e.login("sup1"), "post1": e.login("post1"), "sup2": e.login("sup2"), "none": ""}
		cases := []struct {
			who, dc string
			status  int
			beats   []string
		}{
			{"sup1", "dc-one", 200, []string{"beat-a"}},
			{"post1", "dc-one", 200, []string{"beat-a"}},
			{"admin", "dc-one", 200, []string{"beat-a"}},
			{"admin", "dc-two", 200, []string{}},
			{"sup2", "dc-two", 200, []string{}},
			{"sup1", "dc-two", 404, nil},
			{"post1", "dc-two", 404, nil},
			{"sup2", "dc-one", 404, nil},
			{"sup1", "dc-nine", 404, nil},
			{"admin", "dc-nine", 404, nil},
			{"none", "dc-one", 401, nil},
		}
		var notFound map[string]any
		for _, c := range cases {
			t.Run(c.who+" "+c.dc, func(t *testing.T) {
				r := e.do("GET", "/api/v1/dcs/"+c.dc, tok[c.who], nil)
				if c.status != 200 {
					p := wantProblem(t, r, c.status)
					if c.status == 404 {
						notFound = sameNotFound(t, notFound, p)
					}
					return
				}
				wantCentre(t, r, c.dc, c.beats)
			})
		}
	})
}

// sameNotFound checks that a 404 for a centre says the same as the first
// one seen, so a caller cannot tell another centre from an unknown one.
func sameNotFound(t *testing.T, first, p map[string]any) map[string]any {
	t.Helper()
	delete(p, "request_id")
	if first == nil {
		return p
	}
	if d := cmp.Diff(first, p); d != "" {
		t.Errorf("404 bodies differ, revealing which centres exist (-first +this):\n%s", d)
	}
	return first
}

// wantCentre checks a centre's id, location and beat ids.
func wantCentre(t *testing.T, r resp, id string, beats []string) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status = %d, want 200: %s", r.status, r.body)
	}
	dc := r.json(t)
	got := []string{}
	list, ok := dc["beats"].([]any)
	for _, b := range list {
		got = append(got, fmt.Sprint(b.(map[string]any)["id"]))
	}
	if dc["id"] != id || dc["time_zone"] != "Asia/Kolkata" || dc["digipin"] == "" || dc["lat"] == nil || !ok || !cmp.Equal(got, beats) {
		t.Fatalf("centre %s with beats %v: got %s", id, beats, r.body)
	}
}

func TestCreateBeatAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		post1ID := userID(t, e, e.login("post1"))
		cases := []struct {
			name, token string
			in          map[string]any
			prefixes    []string
			pins        []string
			postman     any
		}{
			{"supervisor with postman", sup1, map[string]any{"name": "Beat B", "digipin_prefixes": []string{"4P3-JM9"}, "pins": []string{"560095"}, "postman_id": post1ID},
				[]string{"4P3JM9"}, []string{"560095"}, post1ID},
			{"admin, PIN codes only", admin, map[string]any{"name": "Beat C", "pins": []string{"560047", "560030"}},
				[]string{}, []string{"560047", "560030"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/dcs/dc-one/beats", c.token, c.in)
				if r.status != 201 {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
				b := r.json(t)
				want := map[string]any{"dc_id": "dc-one", "name": c.in["name"], "digipin_prefixes": c.prefixes, "pins": c.pins, "postman_id": c.postman}
				wantFields(t, b, want)
				id, _ := b["id"].(string)
				wantFields(t, storedBeat(t, e, sup1, id), want)
			})
		}
		if n := e.count("beats"); n != 1+len(cases) {
			t.Fatalf("beats = %d, want %d", n, 1+len(cases))
		}
	})
}

// storedBeat returns beat id as GET /api/v1/dcs/dc-one shows it.
func storedBeat(t *testing.T, e *env, token, id string) map[string]any {
	t.Helper()
	r := e.do("GET", "/api/v1/dcs/dc-one", token, nil)
	list, _ := r.json(t)["beats"].([]any)
	for _, x := range list {
		if b, _ := x.(map[string]any); id != "" && b["id"] == id {
			return b
		}
	}
	t.Fatalf("beat %q not in dc-one: %d %s", id, r.status, r.body)
	return nil
}

func TestCreateBeatAPIBadInput(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	admin, sup1, sup2, post1 := e.login("admin"), e.login("sup1"), e.login("sup2"), e.login("post1")
	r := e.do("POST", "/api/v1/users", admin, with(newUser, map[string]any{"username": "post2b", "dc_id": "dc-two"}))
	otherPostman, _ := r.json(t)["id"].(string)
	if r.status != 201 || otherPostman == "" {
		t.Fatalf("create dc-two postman: %d %s", r.status, r.body)
	}
	sup1ID := userID(t, e, sup1)
	good := map[string]any{"name": "Beat Z", "digipin_prefixes": []string{"4P3-JM8"}, "pins": []string{"560076"}}
	b := func(over map[string]any) map[string]any { return with(good, over) }
	checkRefusals(t, e, "/api/v1/dcs/dc-one/beats", "beats", []refusal{
		{name: "no token", body: good, status: 401},
		{name: "postman", token: post1, body: good, status: 403},
		{name: "other centre's supervisor", token: sup2, body: good, status: 404},
		{name: "unknown centre", token: admin, path: "/api/v1/dcs/dc-nine/beats", body: good, status: 404},
		{name: "postman_id of a supervisor", token: sup1, body: b(map[string]any{"postman_id": sup1ID}), status: 400, field: "postman_id"},
		{name: "postman_id in another centre", token: sup1, body: b(map[string]any{"postman_id": otherPostman}), status: 400, field: "postman_id"},
		{name: "unknown postman_id", token: sup1, body: b(map[string]any{"postman_id": "no-such-user"}), status: 400, field: "postman_id"},
		{name: "no prefixes and no PINs", token: sup1, body: b(map[string]any{"digipin_prefixes": nil, "pins": []string{}}), status: 400, field: "digipin_prefixes"},
		{name: "no name", token: sup1, body: b(map[string]any{"name": " "}), status: 400, field: "name"},
		{name: "bad prefix symbol", token: sup1, body: b(map[string]any{"digipin_prefixes": []string{"4P3-AB"}}), status: 400, field: "digipin_prefixes"},
		{name: "bad PIN", token: sup1, body: b(map[string]any{"pins": []string{"56009"}}), status: 400, field: "pins"},
		{name: "PIN covered by beat-a", token: sup1, body: b(map[string]any{"pins": []string{"560076", "560034"}}), status: 409},
		{name: "malformed JSON", token: sup1, body: `{"name":"Beat Z","pins":[`, status: 400},
		{name: "unknown field", token: sup1, body: b(map[string]any{"owner": "sup1"}), status: 400},
		{name: "read-only dc_id", token: sup1, body: b(map[string]any{"dc_id": "dc-two"}), status: 400},
	})
}
