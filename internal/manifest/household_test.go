package manifest_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/cod"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// withCodes is the service issuing codes at dispatch.
func withCodes(t testing.TB, f fix) *manifest.Service {
	t.Helper()
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	issuer := otp.NewIssuer(sealer, testkit.SMSSealer(t), otp.DefaultPolicy(), f.Clock.Now, uuid.NewString)
	return manifest.New(f.DB, f.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond, Codes: &issuer})
}

// itemsOf returns a manifest's articles by id as the phone gets them.
func itemsOf(t *testing.T, db *store.DB, id string) map[string]manifest.Item {
	t.Helper()
	r, err := db.Manifest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]manifest.Item{}
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			out[it.ID] = it
		}
	}
	return out
}

func household(serial int, s postal.Service, phone string, cod int64) testkit.ArticleSpec {
	return testkit.ArticleSpec{Serial: serial, Service: s, Address: "No. 7, 5th Cross, Koramangala",
		Lat: 12.9401, Lon: 77.6301, Phone: phone, COD: cod}
}

// TestHouseholdCodeGroups: at dispatch a recipient's coded articles at a
// stop share one otp_group and otp_check, another recipient at the stop
// has their own, an uncoded article none; COD articles carry their UPI
// link from the draft on. An article added by amendment gets a code of its
// own; one amended onto another manifest leaves its group.
func TestHouseholdCodeGroups(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		svc, ctx := withCodes(t, f), context.Background()
		ids := f.evening(t,
			household(73000001, postal.ServiceSpeedPost, "+919870000007", 0),
			household(73000002, postal.ServiceSpeedPost, "+919870000007", 0),
			household(73000003, postal.ServiceParcel, "+919870000007", 45000),
			household(73000004, postal.ServiceSpeedPost, "+919870000008", 0),
			household(73000005, postal.ServiceLetter, "+919870000007", 0))
		res, err := svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		mid := res.Manifests[0].ID
		want := cod.UPIURI("koramangala.dc@ippb", "Koramangala DC", 45000, "COD "+ids[2], ids[2])
		draft := itemsOf(t, db, mid)
		if draft[ids[2]].UPIURI != want || draft[ids[0]].UPIURI != "" || draft[ids[0]].OTPGroup != "" {
			t.Fatalf("draft: %+v, %+v; want upi_uri %q on the COD one", draft[ids[2]], draft[ids[0]], want)
		}
		if _, err := svc.Dispatch(ctx, f.Supervisor, mid); err != nil {
			t.Fatal(err)
		}
		items := itemsOf(t, db, mid)
		group := items[ids[0]].OTPGroup
		for _, id := range ids[:3] {
			if it := items[id]; group == "" || it.OTPGroup != group || it.OTPCheck != items[ids[0]].OTPCheck || it.OTPCheck == "" {
				t.Errorf("%s: %+v, want group %q", id, it, group)
			}
		}
		if g := items[ids[3]].OTPGroup; g == "" || g == group {
			t.Errorf("second recipient's group %q (household's %q)", g, group)
		}
		if it := items[ids[4]]; it.OTPGroup != "" || it.OTPCheck != "" {
			t.Errorf("the letter: %+v", it)
		}
		if items[ids[2]].UPIURI != want {
			t.Errorf("dispatched upi_uri %q, want %q", items[ids[2]].UPIURI, want)
		}
		if !strings.Contains(string(mustManifest(t, db, mid).Body), `"otp_group":"`+group+`"`) {
			t.Error("the JSON lacks otp_group")
		}

		// Added by amendment, a new article of the household gets its own code.
		added := f.evening(t, household(73000006, postal.ServiceSpeedPost, "+919870000007", 0))[0]
		if _, err := svc.Amend(ctx, f.Supervisor, mid, manifest.Amendment{Add: []string{added}, Remove: []string{ids[1]}}); err != nil {
			t.Fatal(err)
		}
		items = itemsOf(t, db, mid)
		if g := items[added].OTPGroup; g == "" || g == group || items[added].OTPCheck == "" {
			t.Errorf("the added article: %+v", items[added])
		}
		if items[ids[0]].OTPGroup != group || items[ids[2]].OTPGroup != group {
			t.Errorf("the amendment moved the household's group: %+v %+v", items[ids[0]], items[ids[2]])
		}
		if left, err := db.GroupArticles(ctx, group); err != nil || !slices.Equal(left, []string{ids[0], ids[2]}) {
			t.Errorf("the group's articles after taking one off: %v %v", left, err)
		}

		// Taken off and sent out on the next morning's manifest, it leaves the group.
		if _, err := f.slots.Assign(ctx, f.Supervisor, ids[1], article.Schedule{Date: "2026-11-26", Slot: postal.SlotMorning}); err != nil {
			t.Skipf("a held article cannot be rescheduled here: %v", err)
		}
		next, err := svc.Build(ctx, f.Supervisor, "dc-one", "2026-11-26", postal.SlotMorning)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Dispatch(ctx, f.Supervisor, next.Manifests[0].ID); err != nil {
			t.Fatal(err)
		}
		st, err := db.OTP(ctx, ids[1])
		if err != nil || st.GroupID == group || itemsOf(t, db, next.Manifests[0].ID)[ids[1]].OTPGroup != st.GroupID {
			t.Fatalf("on the new manifest: %+v %v (old group %q)", st, err, group)
		}
	})
}

func mustManifest(t *testing.T, db *store.DB, id string) manifest.Record {
	t.Helper()
	r, err := db.Manifest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
