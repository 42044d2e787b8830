package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestWallet: top-ups are an admin's, idempotent by reference; a booking
// that would overdraw is 402 and changes nothing; an on-account partner is
// not debited and sees its month's total; the wallet is its partner's and
// the admins' only.
func TestWallet(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		p, key := e.bookingPartner("Wallet Co", 1_000)
		_, otherKey := e.bookingPartner("Other Wallet Co", 0)
		// Overdraw: one article against ₹10.
		price, _ := e.priceOf(key, bookItem(""))
		r := e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": []any{bookItem(""), bookItem("EE123456789IN")}})
		if pr := wantProblem(t, r, 402); !strings.Contains(pr["detail"].(string), "top up") || pr["total_paise"] != price || price <= 1_000 {
			t.Fatalf("overdraw: %v", pr)
		}
		if n := e.count("articles") + e.count("bookings") + e.count("s10_series"); n != 0 {
			t.Fatalf("a refused booking stored %d rows", n)
		}
		// Top-ups: once per reference; another amount under it is a conflict.
		first := e.topUp(p, 5_000, "UTR-1")
		again := e.topUp(p, 5_000, "UTR-1")
		if first.status != 201 || again.status != 201 || first.json(t)["id"] != again.json(t)["id"] || first.json(t)["balance_paise"] != float64(6_000) {
			t.Fatalf("top-up replay: %s / %s", first.body, again.body)
		}
		wantProblem(t, e.topUp(p, 7_000, "UTR-1"), 409)
		ik := uuid.NewString()
		for range 2 {
			if r := e.do("POST", "/api/v1/partners/"+p+"/wallet/topups", admin, map[string]any{"amount_paise": 1000, "reference": "UTR-2"}, "Idempotency-Key", ik); r.status != 201 {
				t.Fatalf("top-up with a key: %d %s", r.status, r.body)
			}
		}
		for _, body := range []any{map[string]any{"amount_paise": 0, "reference": "x"}, map[string]any{"amount_paise": 100},
			map[string]any{"amount_paise": 100, "reference": "x", "extra": 1}, `{"amount_paise":`} {
			wantProblem(t, e.do("POST", "/api/v1/partners/"+p+"/wallet/topups", admin, body), 400)
		}
		wantProblem(t, e.do("POST", "/api/v1/partners/"+p+"/wallet/topups", sup1, map[string]any{"amount_paise": 100, "reference": "x"}), 403)
		wantProblem(t, e.do("POST", "/api/v1/partners/nobody/wallet/topups", admin, map[string]any{"amount_paise": 100, "reference": "x"}), 404)
		w := e.do("GET", "/api/v1/partners/"+p+"/wallet", key, nil)
		if w.status != 200 || w.json(t)["balance_paise"] != float64(7_000) || len(w.json(t)["entries"].([]any)) != 3 {
			t.Fatalf("wallet: %d %s", w.status, w.body)
		}
		if r := e.do("GET", "/api/v1/partners/"+p+"/wallet", admin, nil); r.status != 200 {
			t.Fatalf("admin's wallet view: %d", r.status)
		}
		wantProblem(t, e.do("GET", "/api/v1/partners/"+p+"/wallet", otherKey, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/partners/"+p+"/wallet", sup1, nil), 404)
		testAccount(t, e, p, key)
	})
}

// testAccount: an admin moves a partner to on-account billing; its
// bookings are not debited, and its month's total is in its wallet view.
func testAccount(t *testing.T, e *env, p, key string) {
	t.Helper()
	admin := e.login("admin")
	wantProblem(t, e.do("PATCH", "/api/v1/partners/"+p, e.login("sup1"), map[string]any{"billing": "account"}), 403)
	wantProblem(t, e.do("PATCH", "/api/v1/partners/"+p, admin, map[string]any{"billing": "credit"}), 400)
	wantProblem(t, e.do("PATCH", "/api/v1/partners/"+p, admin, map[string]any{}), 400)
	wantProblem(t, e.do("PATCH", "/api/v1/partners/"+p, admin, map[string]any{"discount_bp": 9000}), 400)
	wantProblem(t, e.do("PATCH", "/api/v1/partners/nobody", admin, map[string]any{"billing": "account"}), 404)
	r := e.do("PATCH", "/api/v1/partners/"+p, admin, map[string]any{"billing": "account", "discount_bp": 500})
	if r.status != 200 || r.json(t)["billing"] != "account" || r.json(t)["discount_bp"] != float64(500) || r.json(t)["name"] != "Wallet Co" {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	price, _ := e.priceOf(key, bookItem(""))
	arts := make([]any, 5)
	for i := range arts {
		arts[i] = bookItem("")
	}
	r = e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": arts})
	if r.status != 201 || r.json(t)["billing"] != "account" || r.json(t)["total_paise"] != 5*price {
		t.Fatalf("on-account booking: %d %s", r.status, r.body)
	}
	w := e.do("GET", "/api/v1/partners/"+p+"/wallet", key, nil).json(t)
	months := w["months"].([]any)
	if w["balance_paise"] != float64(7_000) || len(months) != 1 || months[0].(map[string]any)["total_paise"] != 5*price ||
		months[0].(map[string]any)["month"] != "2026-11" || months[0].(map[string]any)["articles"] != float64(5) {
		t.Fatalf("on-account wallet: %v", w)
	}
}

// TestPartnerProofLinks: once its article is delivered with a photo, the
// partner's view links to the photo for 24 hours; the link streams it to
// anyone holding it, and an altered or expired link is 404.
func TestPartnerProofLinks(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, key := e.bookingPartner("Proof Co", 100_000)
		sup1, post1 := e.login("sup1"), e.login("post1")
		id := s10(t, "EE", 40000001)
		if r := e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": []any{bookItem(id)}}); r.status != 201 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		if r := e.do("POST", "/api/v1/articles/"+id+"/events", sup1, map[string]any{"event": "received_at_dc"}); r.status != 200 {
			t.Fatalf("receive: %d %s", r.status, r.body)
		}
		e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil)
		r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "evening"})
		mid := r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
		if r := e.do("POST", "/api/v1/manifests/"+mid+"/dispatch", sup1, nil); r.status != 200 {
			t.Fatalf("dispatch: %d %s", r.status, r.body)
		}
		photo := prooftest.JPEG(64, 48, 1)
		if r := e.upload(post1, uuid.NewString(), form(id, "photo", "door.jpg", photo)...); r.status != 201 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		v := e.do("GET", "/api/v1/articles/"+id, key, nil).json(t)
		proofs := v["proofs"].([]any)
		if v["status"] != "out_for_delivery" || len(proofs) != 1 {
			t.Fatalf("partner view: %v", v)
		}
		link := proofs[0].(map[string]any)["url"].(string)
		path := strings.TrimPrefix(link, "http://dakiya.test")
		got := e.do("GET", path, "", nil)
		if got.status != 200 || string(got.body) != string(photo) || got.header.Get("Content-Type") != "image/jpeg" ||
			!strings.HasPrefix(got.header.Get("Cache-Control"), "private") {
			t.Fatalf("link: %d %v", got.status, got.header)
		}
		wantProblem(t, e.do("GET", path[:len(path)-2]+"xx", "", nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/pod/nonsense", "", nil), 404)
		e.clock.Advance(24 * time.Hour)
		wantProblem(t, e.do("GET", path, "", nil), 404)
	})
}
