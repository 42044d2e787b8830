package httpapi_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/delivery"
	"dakiya/internal/otp"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
	"dakiya/pwa"
)

// TestReviewFlagWords checks that the console's review queue says every
// flag the server can set in words, in English and Hindi: a title and a
// reason, looked up by literal keys (so TestLocalesMatch sees them).
func TestReviewFlagWords(t *testing.T) {
	flags := []string{otp.FlagMismatch, otp.FlagBypassed, delivery.FlagFar, delivery.FlagMissingProof, delivery.FlagClockSkew,
		delivery.FlagCODShort, delivery.FlagNoLocation, delivery.FlagUPIUnconfirmed, delivery.FlagStaleFix}
	code, err := fs.ReadFile(pwa.Files(), "console/rev-item.js")
	if err != nil {
		t.Fatal(err)
	}
	books := map[string]string{}
	for _, l := range []string{"en", "hi"} {
		b, err := fs.ReadFile(pwa.Files(), "console/locales/"+l+".js")
		if err != nil {
			t.Fatal(err)
		}
		books[l] = string(b)
	}
	for _, f := range flags {
		want := f + ": () => [t('rev.flag." + f + "'), t('rev.flag." + f + ".why')]"
		if !strings.Contains(string(code), want) {
			t.Errorf("console/rev-item.js does not put flag %s in words (want %q)", f, want)
		}
		for l, b := range books {
			for _, k := range []string{"'rev.flag." + f + "':", "'rev.flag." + f + ".why':"} {
				if !strings.Contains(b, k) {
					t.Errorf("console/locales/%s.js lacks %s", l, k)
				}
			}
		}
	}
}

// TestDeliveryPages: the review queue's list pages with limit and next
// in its order (flagged first, then as recorded, ties by id), across the
// flagged/unflagged boundary, and filters by review state.
func TestDeliveryPages(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 5)
		for i, id := range ids {
			body := outcome(id, e.otpFor(id))
			if i%2 == 1 { // with a photo: not flagged
				up := e.upload(post1, uuid.NewString(), form(id, "photo", "door.jpg", prooftest.JPEG(32, 24, byte(i)))...)
				if up.status != 201 {
					t.Fatalf("upload: %d %s", up.status, up.body)
				}
				body["proof_ids"] = []string{up.json(t)["id"].(string)}
			}
			if r := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", uuid.NewString()); r.status != 201 {
				t.Fatalf("outcome %d: %d %s", i, r.status, r.body)
			}
			if i != 2 { // two recorded at the same millisecond: their ids decide
				e.clock.Advance(time.Second)
			}
		}
		list := "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening"
		all := deliveryIDs(t, e.do("GET", list, sup1, nil).json(t))
		if len(all) != 5 {
			t.Fatalf("%d outcomes listed, want 5", len(all))
		}
		var paged []string
		next := ""
		for range 5 {
			page := e.do("GET", list+"&limit=2"+next, sup1, nil).json(t)
			paged = append(paged, deliveryIDs(t, page)...)
			cur, _ := page["next"].(string)
			if cur == "" {
				break
			}
			next = "&next=" + cur
		}
		if !slices.Equal(paged, all) {
			t.Fatalf("pages of 2 give %v, the whole list %v", paged, all)
		}
		first := all[0]
		if r := e.do("POST", "/api/v1/deliveries/"+first+"/review", sup1, map[string]string{"decision": "approved"}); r.status != 200 {
			t.Fatalf("review: %d %s", r.status, r.body)
		}
		if got := deliveryIDs(t, e.do("GET", list+"&review=pending", sup1, nil).json(t)); !slices.Equal(got, all[1:]) {
			t.Fatalf("pending: %v, want %v", got, all[1:])
		}
		if got := deliveryIDs(t, e.do("GET", list+"&review=approved", sup1, nil).json(t)); !slices.Equal(got, all[:1]) {
			t.Fatalf("approved: %v, want %v", got, all[:1])
		}
		for _, bad := range []string{"&limit=0", "&limit=1001", "&limit=two", "&next=nope", "&next=MXwyfA", "&review=maybe"} {
			wantProblem(t, e.do("GET", list+bad, sup1, nil), 400)
		}
	})
}

// deliveryIDs reads a list's outcome ids, checking flagged ones come first.
func deliveryIDs(t *testing.T, page map[string]any) []string {
	t.Helper()
	var ids []string
	seenClean := false
	for _, it := range page["items"].([]any) {
		d := it.(map[string]any)
		flagged := len(d["flags"].([]any)) > 0
		if flagged && seenClean {
			t.Fatalf("a flagged outcome after an unflagged one: %v", page["items"])
		}
		seenClean = seenClean || !flagged
		ids = append(ids, d["id"].(string))
	}
	return ids
}
