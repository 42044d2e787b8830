package httpapi_test

import (
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestListPartners: an admin lists every partner by name, with its billing
// centre and remittance account; a key or a supervisor gets nothing.
func TestListPartners(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		if r := e.do("GET", "/api/v1/partners", admin, nil); r.status != 200 || string(r.body) != `{"items":[]}`+"\n" {
			t.Fatalf("no partners yet: %d %s", r.status, r.body)
		}
		zed, acme := e.newPartner("Zed Traders", "dc-two"), e.newPartner("Acme Books", "dc-one")
		r := e.do("GET", "/api/v1/partners", admin, nil)
		if r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		items := r.json(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("list: %s", r.body)
		}
		first, second := items[0].(map[string]any), items[1].(map[string]any)
		if first["id"] != acme || second["id"] != zed || first["billing_dc"] != "dc-one" ||
			first["remittance"].(map[string]any)["ifsc"] != "SBIN0001234" || first["discount_bp"] != float64(0) {
			t.Fatalf("list not by name or incomplete: %s", r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/partners", e.newKey(acme), nil), 401)
		wantProblem(t, e.do("GET", "/api/v1/partners", e.login("sup1"), nil), 403)
	})
}
