package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// newPartner makes a partner billed to dc (as the admin) and returns its id.
func (e *env) newPartner(name, dc string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/partners", e.login("admin"), map[string]any{"name": name, "billing_dc": dc,
		"remittance": map[string]string{"account": "001234567890", "ifsc": "SBIN0001234"}})
	if r.status != 201 {
		e.t.Fatalf("new partner: %d %s", r.status, r.body)
	}
	return r.json(e.t)["id"].(string)
}

// newKey makes an API key for a partner with the given scopes (all four
// when none) and returns its secret.
func (e *env) newKey(partnerID string, scopes ...string) string {
	e.t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"book", "track", "webhooks", "ondc"}
	}
	r := e.do("POST", "/api/v1/partners/"+partnerID+"/keys", e.login("admin"), map[string]any{"scopes": scopes})
	if r.status != 201 {
		e.t.Fatalf("new key: %d %s", r.status, r.body)
	}
	return r.json(e.t)["key"].(string)
}

// TestPartnersAndKeys: an admin makes partners and keys; a key is shown
// once, listed by its prefix only, sees its own partner and nobody else's,
// stops at once when revoked or expired, and is refused on staff routes.
func TestPartnersAndKeys(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		testPartnerRefusals(t, e, admin, sup1)
		acme, other := e.newPartner("Acme Books", "dc-one"), e.newPartner("Other Co", "dc-two")
		r := e.do("POST", "/api/v1/partners/"+acme+"/keys", admin, map[string]any{"scopes": []string{"track"}})
		if r.status != 201 {
			t.Fatalf("key: %d %s", r.status, r.body)
		}
		made := r.json(t)
		key := made["key"].(string)
		if !strings.HasPrefix(key, "dk_live_") || !strings.HasPrefix(key, made["prefix"].(string)) || len(key) < 40 {
			t.Fatalf("key %q, prefix %v", key, made["prefix"])
		}
		list := e.do("GET", "/api/v1/partners/"+acme+"/keys", admin, nil)
		if list.status != 200 || strings.Contains(string(list.body), key) || !strings.Contains(string(list.body), made["prefix"].(string)) {
			t.Fatalf("keys list shows the secret or not the prefix: %s", list.body)
		}
		if n := e.count("api_keys WHERE hash = '" + key + "'"); n != 0 {
			t.Fatal("the secret is stored in clear")
		}
		// The key reads its own partner, not another (404), and no staff route (401).
		if r := e.do("GET", "/api/v1/partners/"+acme, key, nil); r.status != 200 || r.json(t)["name"] != "Acme Books" {
			t.Fatalf("own partner: %d %s", r.status, r.body)
		}
		if r := e.do("GET", "/api/v1/partner", key, nil); r.status != 200 || r.json(t)["id"] != acme {
			t.Fatalf("the key's own partner: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/partner", admin, nil), 401)
		wantProblem(t, e.do("GET", "/api/v1/partners/"+other, key, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/partners/"+other+"/keys", key, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/partners", key, nil), 401)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles", key, nil), 401)
		wantProblem(t, e.do("POST", "/api/v1/partners/"+acme+"/keys", key, map[string]any{"scopes": []string{"book"}}), 401)
		// Unknown and malformed keys.
		for _, bad := range []string{"dk_live_", "dk_live_" + strings.Repeat("a", 32), "dk_live_" + strings.Repeat("x", 200)} {
			wantProblem(t, e.do("GET", "/api/v1/partners/"+acme, bad, nil), 401)
		}
		// Revoked: stops at once; revoking another partner's key is 404.
		keyID := made["id"].(string)
		wantProblem(t, e.do("DELETE", "/api/v1/partners/"+other+"/keys/"+keyID, admin, nil), 404)
		wantProblem(t, e.do("DELETE", "/api/v1/partners/"+acme+"/keys/"+keyID, sup1, nil), 403)
		if r := e.do("DELETE", "/api/v1/partners/"+acme+"/keys/"+keyID, admin, nil); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/partners/"+acme, key, nil), 401)
		// Expired: works until its time, then not.
		exp := e.clock.Now().Add(time.Hour)
		r = e.do("POST", "/api/v1/partners/"+acme+"/keys", admin, map[string]any{"scopes": []string{"track"}, "expires_at": exp})
		short := r.json(t)["key"].(string)
		if r := e.do("GET", "/api/v1/partners/"+acme, short, nil); r.status != 200 {
			t.Fatalf("before expiry: %d", r.status)
		}
		e.clock.Advance(time.Hour)
		wantProblem(t, e.do("GET", "/api/v1/partners/"+acme, short, nil), 401)
	})
}

// testPartnerRefusals: bad partners and keys are refused and store nothing.
func testPartnerRefusals(t *testing.T, e *env, admin, sup1 string) {
	t.Helper()
	wantProblem(t, e.do("POST", "/api/v1/partners", sup1, map[string]any{"name": "X", "billing_dc": "dc-one"}), 403)
	wantProblem(t, e.do("GET", "/api/v1/partners", sup1, nil), 403)
	for _, body := range []any{
		map[string]any{},
		map[string]any{"name": "X"},
		map[string]any{"name": "X", "billing_dc": "dc-nowhere"},
		map[string]any{"name": "X", "billing_dc": "dc-one", "gstin": "27AAPFU0939F1ZW"},
		map[string]any{"name": "X", "billing_dc": "dc-one", "remittance": map[string]string{"account": "12", "ifsc": "SBIN0001234"}},
		map[string]any{"name": "X", "billing_dc": "dc-one", "remittance": map[string]string{"account": "001234567890", "ifsc": "bad"}},
		map[string]any{"name": "X", "billing_dc": "dc-one", "discount_bp": 9000},
		map[string]any{"name": strings.Repeat("n", 201), "billing_dc": "dc-one"},
		map[string]any{"name": "X", "billing_dc": "dc-one", "extra": 1},
		`{"name":`,
	} {
		wantProblem(t, e.do("POST", "/api/v1/partners", admin, body), 400)
	}
	wantProblem(t, e.do("POST", "/api/v1/partners", admin, strings.Repeat(" ", 70<<10)), 413)
	wantProblem(t, e.do("POST", "/api/v1/partners/nobody/keys", admin, map[string]any{"scopes": []string{"book"}}), 404)
	if n := e.count("partners"); n != 0 {
		t.Fatalf("refusals stored %d partners", n)
	}
	p := e.newPartner("Refusals Ltd", "dc-one")
	for _, body := range []any{
		map[string]any{},
		map[string]any{"scopes": []string{}},
		map[string]any{"scopes": []string{"admin"}},
		map[string]any{"scopes": []string{"book"}, "expires_at": e.clock.Now().Add(-time.Minute)},
		map[string]any{"scopes": []string{"book"}, "rate_per_min": 0.5},
	} {
		wantProblem(t, e.do("POST", "/api/v1/partners/"+p+"/keys", admin, body), 400)
	}
	if n := e.count("api_keys"); n != 0 {
		t.Fatalf("refusals stored %d keys", n)
	}
}

// TestKeyRateLimit: a key's bucket holds a minute of its rate; the next
// request is 429 with Retry-After and the limit headers, and the bucket
// refills with time. Another key is not affected.
func TestKeyRateLimit(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p := e.newPartner("Fast Co", "dc-one")
		r := e.do("POST", "/api/v1/partners/"+p+"/keys", e.login("admin"), map[string]any{"scopes": []string{"track"}, "rate_per_min": 3})
		slow := r.json(t)["key"].(string)
		other := e.newKey(p, "track")
		for i := 0; i < 3; i++ {
			r := e.do("GET", "/api/v1/partners/"+p, slow, nil)
			if r.status != 200 || r.header.Get("X-RateLimit-Limit") != "3" || r.header.Get("X-RateLimit-Remaining") != []string{"2", "1", "0"}[i] {
				t.Fatalf("request %d: %d limit %q remaining %q", i, r.status, r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"))
			}
		}
		over := e.do("GET", "/api/v1/partners/"+p, slow, nil)
		wantProblem(t, over, 429)
		if over.header.Get("Retry-After") != "20" || over.header.Get("X-RateLimit-Reset") != "20" {
			t.Fatalf("429 headers: Retry-After %q, reset %q", over.header.Get("Retry-After"), over.header.Get("X-RateLimit-Reset"))
		}
		if r := e.do("GET", "/api/v1/partners/"+p, other, nil); r.status != 200 {
			t.Fatalf("another key was limited: %d", r.status)
		}
		e.clock.Advance(20 * time.Second)
		if r := e.do("GET", "/api/v1/partners/"+p, slow, nil); r.status != 200 {
			t.Fatalf("after refilling: %d", r.status)
		}
	})
}
