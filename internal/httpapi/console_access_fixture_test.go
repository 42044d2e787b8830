package httpapi_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"dakiya/internal/httpapi"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
)

// fixture is centre 1's real resources that the console's routes name,
// and the words of centre 1 no refused answer may carry.
type fixture struct {
	article, other, manifest, delivery, proof, settlement, postman string
	partner, key, hook, message, remittance                        string // the partner pages' (partnerFixture)
	calendar                                                       []byte
	markers                                                        []string
}

// accessFixture dispatches two articles of dc-one, delivers the first with
// a photo and cash, and records a cash hand-over.
func accessFixture(t *testing.T, e *env) fixture {
	t.Helper()
	sup1, post1 := e.login("sup1"), e.login("post1")
	ids := dispatchN(t, e, sup1, 2)
	fx := fixture{article: ids[0], other: ids[1], postman: userID(t, e, post1)}
	photo := prooftest.JPEG(64, 48, 7)
	up := e.upload(post1, uuid.NewString(), form(fx.article, "photo", "door.jpg", photo)...)
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	fx.proof = up.json(t)["id"].(string)
	body := outcome(fx.article, e.otpFor(fx.article))
	body["proof_ids"] = []string{fx.proof}
	if r := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", uuid.NewString()); r.status != 201 {
		t.Fatalf("deliver: %d %s", r.status, r.body)
	}
	fx.delivery = firstID(t, e.do("GET", "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening", sup1, nil), `"id":"`)
	fx.manifest = firstID(t, e.do("GET", "/api/v1/dcs/dc-one/manifests?date=2026-11-25&slot=evening", sup1, nil), `"id":"`)
	settle := map[string]any{"postman_id": fx.postman, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 40000}
	r := e.do("POST", "/api/v1/dcs/dc-one/cod/settlements", sup1, settle, "Idempotency-Key", uuid.NewString())
	if r.status != 201 {
		t.Fatalf("settle: %d %s", r.status, r.body)
	}
	fx.settlement = r.json(t)["id"].(string)
	fx.calendar = e.do("GET", "/api/v1/dcs/dc-one/calendar", sup1, nil).body
	partnerFixture(t, e, &fx)
	fx.markers = []string{fx.article, fx.other, fx.manifest, fx.delivery, fx.proof, fx.settlement, fx.postman, hexSum(photo),
		"Meera Iyer", "98450", "9845012345", "5th Cross", "Post One", "Post Two", "Sup One", "Koramangala", "80 Feet Road", "beat-a", "Beat A"}
	return fx
}

// firstID is the first id in a JSON answer.
func firstID(t *testing.T, r resp, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([^"]+)"`).FindSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("no id in %d %s", r.status, r.body)
	}
	return string(m[1])
}

// consoleCheck is one route of the console and who gets what from it.
type consoleCheck struct {
	method, route string
	path          func(fx fixture) string // the route with centre 1's resource (and a query)
	body          func(fx fixture) any    // a body the centre's supervisor would send
	postman       []int                   // what the postman of centre 1 may get
	other         []int                   // what the supervisor of centre 2 may get
	ownedBy1      string                  // why post1 is allowed here on his own round, so post2 is asked
	adminOnly     bool                    // only an admin may (the partner pages): the control asks as the admin
	staffRead     string                  // why any postman of the centre may read this (the contract's words)
}

// request is the check's path, body and headers.
func (c consoleCheck) request(fx fixture) (string, any, []string) {
	var body any
	if c.body != nil {
		body = c.body(fx)
	}
	headers := []string{}
	if c.method != "GET" {
		headers = append(headers, "Idempotency-Key", uuid.NewString())
	}
	return c.path(fx), body, headers
}

var (
	refusedPostman = []int{403, 404}
	notFound       = []int{404}
	byRole         = []int{403}      // a role alone decides, before any centre is looked at
	ownCentreOnly  = []int{200}      // the caller's own centre's list, checked to name nothing of centre 1
	nonAdmin       = []int{403, 404} // an admin's or the partner's own: staff are refused by role, or see no such partner
)

// at builds a path function from a pattern with {dc}, {article}, {other},
// {manifest}, {delivery}, {proof}, {settlement}, {postman}, {partner},
// {key}, {hook}, {message} and {remittance}.
func at(pattern string) func(fixture) string {
	return func(fx fixture) string {
		return strings.NewReplacer("{dc}", "dc-one", "{article}", fx.article, "{other}", fx.other, "{manifest}", fx.manifest,
			"{delivery}", fx.delivery, "{proof}", fx.proof, "{settlement}", fx.settlement, "{postman}", fx.postman,
			"{partner}", fx.partner, "{key}", fx.key, "{hook}", fx.hook, "{message}", fx.message, "{remittance}", fx.remittance).Replace(pattern)
	}
}

func fixed(v any) func(fixture) any { return func(fixture) any { return v } }

const day = "date=2026-11-25&slot=evening"

// consoleChecks is every route the console uses.
func consoleChecks(fx fixture) []consoleCheck {
	c := func(method, route, path string, body func(fixture) any) consoleCheck {
		return consoleCheck{method: method, route: route, path: at(path), body: body, postman: refusedPostman, other: notFound}
	}
	own := func(k consoleCheck, why string) consoleCheck { k.ownedBy1 = why; return k }
	role := func(k consoleCheck) consoleCheck { k.other = byRole; return k }
	mine := func(k consoleCheck) consoleCheck { k.other = ownCentreOnly; return k }
	staff := func(k consoleCheck, why string) consoleCheck { k.staffRead = why; return k }
	beat := map[string]any{"id": "beat-z", "name": "Beat Z", "postman_id": fx.postman, "pins": []string{"560034"}}
	newUser := map[string]any{"username": "intruder", "name": "Intruder", "role": "postman", "dc_id": "dc-one", "password": password}
	newDC := map[string]any{"id": "dc-nine", "name": "Nine", "address": "Somewhere", "pin": "560001", "lat": 12.9, "lon": 77.6}
	return append([]consoleCheck{
		role(c("POST", "/api/v1/users", "/api/v1/users", fixed(newUser))),
		c("GET", "/api/v1/users", "/api/v1/users?dc_id=dc-one", nil),
		c("PATCH", "/api/v1/users/:id", "/api/v1/users/{postman}", fixed(map[string]any{"disabled": true})),
		role(c("POST", "/api/v1/dcs", "/api/v1/dcs", fixed(newDC))),
		mine(c("GET", "/api/v1/dcs", "/api/v1/dcs", nil)),
		c("GET", "/api/v1/dcs/:dc/beats", "/api/v1/dcs/{dc}/beats", nil),
		staff(c("GET", "/api/v1/dcs/:dc", "/api/v1/dcs/{dc}", nil), "openapi getDC: for staff of the centre and admins"),
		c("POST", "/api/v1/dcs/:dc/beats", "/api/v1/dcs/{dc}/beats", fixed(beat)),
		c("PATCH", "/api/v1/dcs/:dc/beats/:id", "/api/v1/dcs/{dc}/beats/beat-a", fixed(map[string]any{"name": "Renamed"})),
		staff(c("GET", "/api/v1/dcs/:dc/slots", "/api/v1/dcs/{dc}/slots", nil), "openapi listSlots: staff of the centre, admin"),
		staff(c("GET", "/api/v1/dcs/:dc/calendar", "/api/v1/dcs/{dc}/calendar", nil), "openapi getCalendar: staff of the centre, admin"),
		c("PUT", "/api/v1/dcs/:dc/calendar", "/api/v1/dcs/{dc}/calendar", func(fx fixture) any { return fx.calendar }),
		c("POST", "/api/v1/dcs/:dc/schedule", "/api/v1/dcs/{dc}/schedule", nil),
		c("POST", "/api/v1/dcs/:dc/articles", "/api/v1/dcs/{dc}/articles", fixed([]any{item("EE990000015IN")})),
		c("GET", "/api/v1/dcs/:dc/articles", "/api/v1/dcs/{dc}/articles?q=Meera", nil),
		staff(c("GET", "/api/v1/articles/:id", "/api/v1/articles/{article}", nil),
			"openapi getArticle: for staff of the article's centre; a postman's view leaves out assignments and deliveries"),
		own(c("POST", "/api/v1/articles/:id/events", "/api/v1/articles/{other}/events", fixed(map[string]any{"event": "held_at_counter"})),
			"a postman records events on his round"),
		c("PUT", "/api/v1/articles/:id/schedule", "/api/v1/articles/{other}/schedule", fixed(map[string]any{"date": "2026-11-26", "slot": "evening"})),
		c("PUT", "/api/v1/articles/:id/beat", "/api/v1/articles/{other}/beat", fixed(map[string]any{"beat_id": "beat-a"})),
		c("POST", "/api/v1/articles/:id/otp/unlock", "/api/v1/articles/{other}/otp/unlock", nil),
		own(c("GET", "/api/v1/proofs/:id", "/api/v1/proofs/{proof}", nil), "post1 took the photo"),
		own(c("GET", "/api/v1/proofs/:id/content", "/api/v1/proofs/{proof}/content?stream=1", nil), "post1 took the photo"),
		c("GET", "/api/v1/proofs/:id/views", "/api/v1/proofs/{proof}/views", nil),
		c("GET", "/api/v1/dcs/:dc/deliveries", "/api/v1/dcs/{dc}/deliveries?"+day, nil),
		c("POST", "/api/v1/deliveries/:id/review", "/api/v1/deliveries/{delivery}/review", fixed(map[string]any{"decision": "rejected", "note": "x"})),
		c("GET", "/api/v1/dcs/:dc/cod", "/api/v1/dcs/{dc}/cod?"+day, nil),
		c("GET", "/api/v1/dcs/:dc/cod/settlements", "/api/v1/dcs/{dc}/cod/settlements?"+day, nil),
		c("POST", "/api/v1/dcs/:dc/cod/settlements", "/api/v1/dcs/{dc}/cod/settlements",
			func(fx fixture) any {
				return map[string]any{"postman_id": fx.postman, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 100}
			}),
		c("GET", "/api/v1/dcs/:dc/progress", "/api/v1/dcs/{dc}/progress?"+day, nil),
		c("GET", "/api/v1/dcs/:dc/progress/stream", "/api/v1/dcs/{dc}/progress/stream?"+day, nil),
		c("POST", "/api/v1/dcs/:dc/cod/settlements/:id/close", "/api/v1/dcs/{dc}/cod/settlements/{settlement}/close", nil),
		c("GET", "/api/v1/dcs/:dc/cod/day", "/api/v1/dcs/{dc}/cod/day?date=2026-11-25", nil),
		c("GET", "/api/v1/dcs/:dc/stats", "/api/v1/dcs/{dc}/stats", nil),
		c("POST", "/api/v1/dcs/:dc/manifests", "/api/v1/dcs/{dc}/manifests", fixed(map[string]any{"date": "2026-11-26", "slot": "evening"})),
		c("GET", "/api/v1/dcs/:dc/manifests", "/api/v1/dcs/{dc}/manifests?"+day, nil),
		own(c("GET", "/api/v1/manifests/:id", "/api/v1/manifests/{manifest}", nil), "post1's own manifest"),
		c("POST", "/api/v1/manifests/:id/dispatch", "/api/v1/manifests/{manifest}/dispatch", nil),
		c("POST", "/api/v1/manifests/:id/amend", "/api/v1/manifests/{manifest}/amend", func(fx fixture) any { return map[string]any{"remove": []string{fx.other}} }),
		// partners (ptn.): console checks above this line
		// forecast and festivals (fc.): console checks above this line
		c("GET", "/api/v1/dcs/:dc/roster", "/api/v1/dcs/{dc}/roster?from=2026-11-25&to=2026-11-27", nil),
		c("PUT", "/api/v1/dcs/:dc/roster/:date/:user_id", "/api/v1/dcs/{dc}/roster/2026-11-27/{postman}", fixed(map[string]any{"status": "leave"})),
		c("DELETE", "/api/v1/dcs/:dc/roster/:date/:user_id", "/api/v1/dcs/{dc}/roster/2026-11-27/{postman}", nil),
		c("PUT", "/api/v1/dcs/:dc/roster/weekly-off/:user_id", "/api/v1/dcs/{dc}/roster/weekly-off/{postman}", fixed(map[string]any{"weekday": 3})),
		c("POST", "/api/v1/dcs/:dc/beat-plans", "/api/v1/dcs/{dc}/beat-plans", fixed(map[string]any{"date": "2026-11-26", "slot": "morning"})),
		// rosters and beat plans (plan.): console checks above this line
		c("GET", "/api/v1/dcs/:dc/sort-plan", "/api/v1/dcs/{dc}/sort-plan?"+day, nil),
		c("GET", "/api/v1/dcs/:dc/sort-plan/progress", "/api/v1/dcs/{dc}/sort-plan/progress?"+day, nil),
		c("GET", "/api/v1/dcs/:dc/sort-plan.pdf", "/api/v1/dcs/{dc}/sort-plan.pdf?"+day, nil),
		c("POST", "/api/v1/dcs/:dc/sort-scans", "/api/v1/dcs/{dc}/sort-scans", fixed(map[string]any{"date": "2026-11-25", "slot": "evening",
			"scans": []any{map[string]any{"id": "8d1c4f0e-0000-4000-8000-000000000001", "article_id": "EE123456789IN",
				"plan_version": "0123456789abcdef", "at": "2026-11-25T05:00:00Z"}}})),
		// sorting (sort.): console checks above this line
	}, partnerChecks(c)...)
}

// partnerChecks are the routes of the console's partner pages, an admin's
// alone: every other staff member is refused (by role, or told there is no
// such partner), and the control asks as the admin.
func partnerChecks(c func(method, route, path string, body func(fixture) any) consoleCheck) []consoleCheck {
	admin := func(k consoleCheck) consoleCheck { k.other, k.adminOnly = nonAdmin, true; return k }
	return []consoleCheck{
		admin(c("GET", "/api/v1/partners", "/api/v1/partners", nil)),
		admin(c("POST", "/api/v1/partners", "/api/v1/partners", fixed(map[string]any{"name": "Intruder Logistics", "billing_dc": "dc-one"}))),
		admin(c("GET", "/api/v1/partners/:id", "/api/v1/partners/{partner}", nil)),
		admin(c("PATCH", "/api/v1/partners/:id", "/api/v1/partners/{partner}", fixed(map[string]any{"discount_bp": 100}))),
		admin(c("GET", "/api/v1/partners/:id/keys", "/api/v1/partners/{partner}/keys", nil)),
		admin(c("POST", "/api/v1/partners/:id/keys", "/api/v1/partners/{partner}/keys", fixed(map[string]any{"scopes": []string{"track"}}))),
		admin(c("DELETE", "/api/v1/partners/:id/keys/:key_id", "/api/v1/partners/{partner}/keys/{key}", nil)),
		admin(c("GET", "/api/v1/partners/:id/wallet", "/api/v1/partners/{partner}/wallet", nil)),
		admin(c("POST", "/api/v1/partners/:id/wallet/topups", "/api/v1/partners/{partner}/wallet/topups",
			fixed(map[string]any{"amount_paise": 100000, "reference": "NEFT-ACCESS-1"}))),
		admin(c("GET", "/api/v1/webhooks", "/api/v1/webhooks?partner_id={partner}", nil)),
		admin(c("GET", "/api/v1/webhooks/:id/deliveries", "/api/v1/webhooks/{hook}/deliveries", nil)),
		admin(c("POST", "/api/v1/webhooks/:id/ping", "/api/v1/webhooks/{hook}/ping", nil)),
		admin(c("POST", "/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver", "/api/v1/webhooks/{hook}/deliveries/{message}/redeliver", nil)),
		admin(c("GET", "/api/v1/remittances", "/api/v1/remittances?partner_id={partner}", nil)),
		admin(c("GET", "/api/v1/remittances/pending", "/api/v1/remittances/pending?partner_id={partner}", nil)),
		admin(c("POST", "/api/v1/partners/:id/remittances", "/api/v1/partners/{partner}/remittances", fixed(map[string]any{"date": "2026-11-23"}))),
		admin(c("GET", "/api/v1/remittances/:id", "/api/v1/remittances/{remittance}", nil)),
		admin(c("POST", "/api/v1/remittances/:id/paid", "/api/v1/remittances/{remittance}/paid", fixed(map[string]any{"bank_ref": "UTR1"}))),
		admin(c("GET", "/api/v1/tariffs", "/api/v1/tariffs", nil)),
		admin(c("GET", "/api/v1/tariffs/:version", "/api/v1/tariffs/default", nil)),
	}
}

// partnerFixture makes a partner of dc-one with a key, a webhook the key
// subscribed and a ping queued to it, and a remittance statement for the
// day before the clock's; and stores the default tariff.
func partnerFixture(t *testing.T, e *env, fx *fixture) {
	t.Helper()
	admin := e.login("admin")
	fx.partner = e.newPartner("Access Books", "dc-one")
	secret := e.newKey(fx.partner, "book", "webhooks")
	fx.key = firstID(t, e.do("GET", "/api/v1/partners/"+fx.partner+"/keys", admin, nil), `"id":"`)
	r := e.do("POST", "/api/v1/webhooks", secret, map[string]any{"url": "https://hooks.access.example/in", "events": []string{"*"}})
	if r.status != 201 {
		t.Fatalf("subscribe: %d %s", r.status, r.body)
	}
	fx.hook = r.json(t)["id"].(string)
	if r = e.do("POST", "/api/v1/webhooks/"+fx.hook+"/ping", admin, nil); r.status != 202 {
		t.Fatalf("ping: %d %s", r.status, r.body)
	}
	fx.message = r.json(t)["id"].(string)
	if r = e.do("POST", "/api/v1/partners/"+fx.partner+"/remittances", admin, map[string]any{"date": "2026-11-24"}); r.status != 201 {
		t.Fatalf("statement: %d %s", r.status, r.body)
	}
	fx.remittance = r.json(t)["id"].(string)
	if r = e.do("GET", "/api/v1/tariffs", admin, nil); r.status != 200 {
		t.Fatalf("tariffs: %d %s", r.status, r.body)
	}
}

// routesOf is the router's own list of routes, built as the env's server.
func routesOf(t *testing.T, e *env) []*echo.Route {
	t.Helper()
	h, err := httpapi.New(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	return h.Routes()
}

// serverState is what the refused requests must leave as it was: the
// number of rows of every table, and what the centre's supervisor (token
// sup1) reads of centre 1 (none of these reads is audited).
func serverState(t *testing.T, e *env, fx fixture, sup1 string) []string {
	t.Helper()
	var state []string
	for _, table := range tables(t, e) {
		if table == "idempotency_keys" {
			// a final refusal is kept under the caller's own key, to be
			// replayed as such; only answered changes count
			table += " WHERE status IS NULL OR status < 400"
		}
		if table == "audit_log" {
			// the supervisor's reads below are audited article views and
			// searches; refused ones record nothing (privacy_test)
			table += " WHERE action NOT LIKE 'article.%'"
		}
		state = append(state, fmt.Sprintf("%s: %d rows", table, e.count(table)))
	}
	for _, p := range []string{"/api/v1/articles/{article}", "/api/v1/articles/{other}", "/api/v1/manifests/{manifest}",
		"/api/v1/dcs/{dc}/deliveries?" + day, "/api/v1/dcs/{dc}/cod?" + day, "/api/v1/dcs/{dc}/cod/day?date=2026-11-25",
		"/api/v1/dcs/{dc}/manifests?date=2026-11-26&slot=evening", "/api/v1/users", "/api/v1/dcs", "/api/v1/dcs/{dc}/beats",
		"/api/v1/dcs/{dc}/calendar", "/api/v1/proofs/{proof}/views", "/api/v1/dcs/{dc}/articles?limit=100"} {
		r := e.do("GET", at(p)(fx), sup1, nil)
		state = append(state, fmt.Sprintf("%s: %d %s", p, r.status, r.body))
	}
	return state
}

// tables names the database's tables.
func tables(t *testing.T, e *env) []string {
	t.Helper()
	q := "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"
	if e.db.Dialect() == store.Postgres {
		q = "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	var names string
	if err := e.db.QueryRowForTest(t.Context(), q).Scan(&names); err != nil {
		t.Fatal(err)
	}
	return strings.Split(names, ",")
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
