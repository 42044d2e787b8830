package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// Text that PostgreSQL cannot store (U+0000) or that is not UTF-8 at all
// must be refused as bad input on both databases, never reach SQL. These
// are the contents of JSON strings, escapes as sent.
const (
	nulEscaped = `Meera\u0000Iyer`
	badUTF8    = "Meera \xff\xfe Iyer"
	loneHigh   = `Meera \ud800 Iyer` // half a surrogate pair
)

// rawItem is an article item as raw JSON whose recipient name is the raw
// JSON string content name (already escaped as wanted).
func rawItem(id, name string) string {
	return `{"id":"` + id + `","service":"speed_post","cod_paise":0,"recipient":{"name":"` + name +
		`","phone":"98450 12345","address":"No. 14, 5th Cross, Koramangala","pin":"560034"}}`
}

func TestBatchRefusesBadTextPerItem(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1 := e.login("sup1")
		good1, good2 := s10(t, "EE", 40000001), s10(t, "EE", 40000002)
		bad := []string{nulEscaped, badUTF8, loneHigh, `Meera \udc00 Iyer`}
		items := []string{rawItem(good1, "Meera Iyer")}
		for i, name := range bad {
			items = append(items, rawItem(s10(t, "EE", 40000010+i), name))
		}
		items = append(items, rawItem(good2, "Ravi Kumar"))
		r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, []byte("["+strings.Join(items, ",")+"]"))
		if r.status != 200 {
			t.Fatalf("batch with bad text: %d %s", r.status, r.body)
		}
		var res struct {
			Created []string
			Errors  []struct {
				Index  int
				Errors []struct{ Field, Message string }
			}
		}
		if err := json.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(res.Created) != fmt.Sprint([]string{good1, good2}) || len(res.Errors) != len(bad) {
			t.Fatalf("good items not stored or bad ones not reported: %s", r.body)
		}
		for k, ie := range res.Errors {
			if ie.Index != k+1 || len(ie.Errors) != 1 || ie.Errors[0].Field != "recipient.name" {
				t.Errorf("item error %d = %+v, want index %d on recipient.name", k, ie, k+1)
			}
		}
		if n := e.count("articles"); n != 2 {
			t.Fatalf("%d articles stored, want the 2 good ones", n)
		}
	})
}

func TestJSONBodiesRefuseBadText(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		id := dispatchOne(t, e, sup1)
		evidence := func(by string) []byte {
			return []byte(`{"article_id":"` + id + `","outcome":"delivered","proof_ids":[],"captured_at":"2026-11-25T12:00:00+05:30",` +
				`"location":{"lat":12.9361,"lon":77.6212,"accuracy_m":8},"cod":{"mode":"cash","amount_paise":49900},` +
				`"id_evidence":{"type":"aadhaar","last4":"1234","received_by":"` + by + `"}}`)
		}
		login := func(name string) []byte {
			return []byte(`{"username":"` + name + `","password":"` + password + `"}`)
		}
		for _, c := range []struct {
			name, path, token, table, field string
			body                            []byte
			hdr                             []string
		}{
			{"nul username", "/api/v1/auth/login", "", "refresh_tokens", "username", login(`sup\u00001`), nil},
			{"bad utf-8 username", "/api/v1/auth/login", "", "refresh_tokens", "username", login("sup1\xff"), nil},
			{"lone surrogate password", "/api/v1/auth/login", "", "refresh_tokens", "password", []byte(`{"username":"sup1","password":"\udfff"}`), nil},
			{"nul received_by", "/api/v1/deliveries", post1, "deliveries", "id_evidence.received_by", evidence(`Ravi\u0000`),
				[]string{"Idempotency-Key", uuid.NewString()}},
			{"bad utf-8 received_by", "/api/v1/deliveries", post1, "deliveries", "id_evidence.received_by", evidence("Ravi\xc3"),
				[]string{"Idempotency-Key", uuid.NewString()}},
			{"nul map key", "/api/v1/dcs/dc-one/calendar", sup1, "calendars", "capacity", []byte(`{"capacity":{"mor\u0000ning":3}}`), nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := e.count(c.table)
				method := "POST"
				if strings.HasSuffix(c.path, "/calendar") {
					method = "PUT"
				}
				p := wantProblem(t, e.do(method, c.path, c.token, c.body, c.hdr...), 400)
				wantField(t, p, c.field)
				if n := e.count(c.table); n != before {
					t.Fatalf("refused request changed %s from %d to %d rows", c.table, before, n)
				}
			})
		}
		testReviewNoteText(t, e, sup1, post1, id)
	})
}

// testReviewNoteText delivers id and then refuses review notes with bad text.
func testReviewNoteText(t *testing.T, e *env, sup1, post1, id string) {
	t.Helper()
	if r := e.do("POST", "/api/v1/deliveries", post1, outcome(id, e.otpFor(id)), "Idempotency-Key", uuid.NewString()); r.status != 201 {
		t.Fatalf("deliver: %d %s", r.status, r.body)
	}
	list := e.do("GET", "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening", sup1, nil)
	did := list.json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	for _, note := range []string{`no photo\u0000`, "no photo \xe2\x82"} {
		body := []byte(`{"decision":"rejected","note":"` + note + `"}`)
		p := wantProblem(t, e.do("POST", "/api/v1/deliveries/"+did+"/review", sup1, body), 400)
		wantField(t, p, "note")
	}
	if n := e.count("reviews"); n != 0 {
		t.Fatalf("refused reviews stored %d rows", n)
	}
}

func TestTruncatedBodies(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1 := e.login("sup1"), e.login("post1")
	for _, c := range []struct{ name, method, path, token string }{
		{"login", "POST", "/api/v1/auth/login", ""},
		{"articles", "POST", "/api/v1/dcs/dc-one/articles", sup1},
		{"outcome", "POST", "/api/v1/deliveries", post1},
		{"calendar", "PUT", "/api/v1/dcs/dc-one/calendar", sup1},
		{"slot choice", "POST", "/api/v1/slot-choice/" + e.links.Token(s10(t, "EE", 1), e.clock.Now()), ""},
	} {
		for _, body := range []string{"{", " { ", `{"id":`} {
			t.Run(c.name+" "+body, func(t *testing.T) {
				wantProblem(t, e.do(c.method, c.path, c.token, body, "Idempotency-Key", uuid.NewString()), 400)
			})
		}
	}
	if n := e.count("articles"); n != 0 {
		t.Fatalf("truncated bodies stored %d articles", n)
	}
}

func TestParamsRefuseBadText(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		for _, c := range []struct{ name, path, token, field string }{
			{"nul article id", "/api/v1/articles/EE%00", sup1, "id"},
			{"bad utf-8 article id", "/api/v1/articles/EE%FF", sup1, "id"},
			{"nul track id", "/api/v1/track/EE%00", "", "id"},
			{"nul beat", "/api/v1/dcs/dc-one/articles?beat=a%00", sup1, "beat"},
			{"bad utf-8 status", "/api/v1/dcs/dc-one/articles?status=%C3", sup1, "status"},
			{"utf-8 split across values", "/api/v1/dcs/dc-one/articles?status=%C3&status=%A9", sup1, "status"},
			{"nul centre", "/api/v1/dcs/dc%00/articles", sup1, "dc"},
			{"nul manifest", "/api/v1/manifests/m%00", post1, "id"},
			{"nul slot token", "/api/v1/slot-choice/a%00b", "", "token"},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantField(t, wantProblem(t, e.do("GET", c.path, c.token, nil), 400), c.field)
			})
		}
		for _, v := range []string{"EE\x00", "EE\xff"} {
			before := e.count("proofs")
			r := e.upload(post1, uuid.NewString(), field("article_id", v), field("kind", "photo"))
			wantField(t, wantProblem(t, r, 400), "article_id")
			if n := e.count("proofs"); n != before {
				t.Fatalf("refused upload stored a proof")
			}
		}
	})
}
