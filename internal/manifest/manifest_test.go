package manifest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/route"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

const day = "2026-11-25"

type fix struct {
	*testkit.Centre
	slots *slot.Service
	svc   *manifest.Service
}

func newFix(t testing.TB, db *store.DB) fix {
	t.Helper()
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 4, 0, 0, 0, ist))
	f := fix{Centre: c, slots: slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now)}
	f.svc = manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 50 * time.Millisecond})
	return f
}

// newService is the service with its production options.
func newService(f fix) *manifest.Service {
	return manifest.New(f.DB, f.Clock.Now, uuid.NewString, manifest.Options{})
}

// evening books articles and schedules them all for the evening slot.
func (f fix) evening(t testing.TB, specs ...testkit.ArticleSpec) []string {
	t.Helper()
	ids := f.Book(t, specs...)
	for _, id := range ids {
		if _, err := f.slots.Assign(context.Background(), f.Supervisor, id, article.Schedule{Date: day, Slot: postal.SlotEvening}); err != nil {
			t.Fatalf("assign %s: %v", id, err)
		}
	}
	return ids
}

func (f fix) status(t *testing.T, id string) article.Status {
	t.Helper()
	a, err := f.DB.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}

func decode(t *testing.T, r manifest.Record) manifest.Manifest {
	t.Helper()
	var m manifest.Manifest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func byBeat(t *testing.T, res manifest.BuildResult, beat string) manifest.Summary {
	t.Helper()
	for _, s := range res.Manifests {
		if s.BeatID == beat {
			return s
		}
	}
	t.Fatalf("no manifest for %s in %+v", beat, res)
	return manifest.Summary{}
}

func TestBuildDispatchView(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		ids := f.evening(t,
			testkit.ArticleSpec{Serial: 50000001, Address: "No. 1, Rose Villa", Lat: 12.94, Lon: 77.63},
			testkit.ArticleSpec{Serial: 50000002, Address: "no. 1,  ROSE villa", Lat: 12.94, Lon: 77.63, Service: postal.ServiceParcel, COD: 49900},
			testkit.ArticleSpec{Serial: 50000003, Service: postal.ServiceLetter},
			testkit.ArticleSpec{Serial: 50000004, PIN: "560095"}, // beat-b
		)
		res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Manifests) != 2 || len(res.Unassigned) != 0 {
			t.Fatalf("build: %+v", res)
		}
		a := byBeat(t, res, "beat-a")
		if a.Stops != 2 || a.Articles != 3 || a.Version != 1 || a.Status != manifest.StatusDraft || a.DistanceM <= 0 || a.PostmanID != f.PostmanA.UserID {
			t.Fatalf("beat-a manifest: %+v", a)
		}
		r, err := f.svc.Get(ctx, f.Supervisor, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := decode(t, r)
		checkManifest(t, m, ids[:3])
		if _, err := f.svc.Get(ctx, f.PostmanA, a.ID); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("postman sees a draft: %v", err)
		}
		again, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil || byBeat(t, again, "beat-a").Version != 2 || byBeat(t, again, "beat-a").ID != a.ID {
			t.Fatalf("rebuild: %+v %v", again, err)
		}
		testDispatch(t, f, a.ID, ids)
	})
}

// checkManifest checks a manifest holds exactly ids, numbered stops, and
// the household's two articles on one stop with OTP flags per policy.
func checkManifest(t *testing.T, m manifest.Manifest, ids []string) {
	t.Helper()
	seen := map[string]bool{}
	for i, st := range m.Stops {
		if st.Seq != i+1 || st.StopID == "" || st.Lat == nil {
			t.Errorf("stop %d: %+v", i, st)
		}
		for _, it := range st.Articles {
			seen[it.ID] = true
			wantOTP := it.Service == postal.ServiceParcel || it.Service == postal.ServiceSpeedPost || it.CODPaise > 0
			if it.OTPRequired != wantOTP {
				t.Errorf("%s: otp_required %v", it.ID, it.OTPRequired)
			}
		}
		if len(st.Articles) == 2 && !strings.Contains(strings.ToLower(st.Address), "rose villa") {
			t.Errorf("two articles on a stop that is not the household: %+v", st)
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("%s is not on the manifest", id)
		}
	}
	if len(seen) != len(ids) || m.Window.Start.Format(time.RFC3339) != "2026-11-25T17:00:00+05:30" {
		t.Errorf("manifest holds %d articles, window %v", len(seen), m.Window)
	}
}

func testDispatch(t *testing.T, f fix, id string, ids []string) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.svc.Dispatch(ctx, f.PostmanA, id); !postal.IsCode(err, postal.CodeForbidden) {
		t.Fatalf("postman dispatching: %v", err)
	}
	if _, err := f.svc.Dispatch(ctx, f.Supervisor2, id); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("other centre dispatching: %v", err)
	}
	before, _ := f.svc.Get(ctx, f.Supervisor, id)
	s, err := f.svc.Dispatch(ctx, f.Supervisor, id)
	if err != nil || s.Status != manifest.StatusDispatched {
		t.Fatalf("dispatch: %+v %v", s, err)
	}
	if again, err := f.svc.Dispatch(ctx, f.Supervisor, id); err != nil || again != s {
		t.Fatalf("second dispatch: %+v %v", again, err)
	}
	for _, a := range ids[:3] {
		if st := f.status(t, a); st != article.StatusOutForDelivery {
			t.Errorf("%s is %s after dispatch", a, st)
		}
	}
	if st := f.status(t, ids[3]); st != article.StatusScheduled {
		t.Errorf("beat-b's article moved with beat-a's manifest: %s", st)
	}
	mine, err := f.svc.Mine(ctx, f.PostmanA, day, "evening")
	if err != nil || len(mine) != 1 || mine[0].ID != id {
		t.Fatalf("postman's manifests: %+v %v", mine, err)
	}
	r, err := f.svc.Get(ctx, f.PostmanA, id)
	if err != nil || r.ETag == before.ETag || decode(t, r).Status != manifest.StatusDispatched {
		t.Fatalf("postman's view: %v (etag %s, before %s)", err, r.ETag, before.ETag)
	}
	if _, err := f.svc.Get(ctx, f.PostmanB, id); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("another postman sees it: %v", err)
	}
	if other, _ := f.svc.Mine(ctx, f.PostmanB, "", ""); len(other) != 0 {
		t.Fatalf("postman B has %d manifests (beat-b's is a draft)", len(other))
	}
	// beat-b's article is on beat-b's draft: it cannot also join this one.
	if _, err := f.svc.Amend(ctx, f.Supervisor, id, manifest.Amendment{Add: []string{ids[3]}}); !postal.IsCode(err, postal.CodeConflict) {
		t.Fatalf("adding an article that is on a draft: %v", err)
	}
	testAfterDispatch(t, f, id)
}

// testAfterDispatch: a rebuild leaves the dispatched manifest alone and
// reports new articles for it; an amendment adds and removes.
func testAfterDispatch(t *testing.T, f fix, id string) {
	t.Helper()
	ctx := context.Background()
	late := f.evening(t, testkit.ArticleSpec{Serial: 50000009})
	res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
	if err != nil || len(res.Unassigned) != 1 || !strings.Contains(res.Unassigned[0].Reason, "already dispatched") {
		t.Fatalf("rebuild after dispatch: %+v %v", res, err)
	}
	before, _ := f.svc.Get(ctx, f.Supervisor, id)
	first := decode(t, before).Stops[0].Articles[0].ID
	s, err := f.svc.Amend(ctx, f.Supervisor, id, manifest.Amendment{Add: late, Remove: []string{first}})
	if err != nil || s.Version != before.Version+1 || s.Articles != before.Summary.Articles {
		t.Fatalf("amend: %+v %v", s, err)
	}
	if f.status(t, late[0]) != article.StatusOutForDelivery || f.status(t, first) != article.StatusHeld {
		t.Fatalf("after amend: added %s, removed %s", f.status(t, late[0]), f.status(t, first))
	}
	after, _ := f.svc.Get(ctx, f.PostmanA, id)
	if after.ETag == before.ETag {
		t.Fatal("amendment kept the ETag")
	}
	bad := []manifest.Amendment{{}, {Remove: []string{first}}, {Add: late}, {Add: []string{"EE123456789IN"}}, {Remove: []string{"RR500000045IN"}}}
	for i, am := range bad {
		if _, err := f.svc.Amend(ctx, f.Supervisor, id, am); err == nil {
			t.Errorf("bad amendment %d accepted", i)
		}
	}
}

func TestDispatchOfAStaleDraftChangesNothing(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		ids := f.evening(t, testkit.ArticleSpec{Serial: 60000001}, testkit.ArticleSpec{Serial: 60000002})
		res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		// The recipient moves one article to tomorrow after the build.
		if _, err := f.slots.Assign(ctx, f.Supervisor, ids[1], article.Schedule{Date: "2026-11-26", Slot: postal.SlotMorning}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Dispatch(ctx, f.Supervisor, res.Manifests[0].ID); !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("stale dispatch: %v", err)
		}
		// Moving the other article too leaves the draft empty: a rebuild
		// must empty it rather than skip the beat, or it could never go.
		if _, err := f.slots.Assign(ctx, f.Supervisor, ids[0], article.Schedule{Date: "2026-11-26", Slot: postal.SlotMorning}); err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil || len(again.Manifests) != 1 || again.Manifests[0].Articles != 0 || again.Manifests[0].Version != 2 {
			t.Fatalf("rebuild of an emptied draft: %+v %v", again, err)
		}
		if st := f.status(t, ids[0]); st != article.StatusScheduled {
			t.Fatalf("a refused dispatch moved an article: %s", st)
		}
		r, _ := f.svc.Get(ctx, f.Supervisor, res.Manifests[0].ID)
		if r.Status != manifest.StatusDraft {
			t.Fatalf("manifest %s after a refused dispatch", r.Status)
		}
	})
}

func TestBuildReportsWhatItCannotPlace(t *testing.T) {
	f := newFix(t, testkit.DB(t))
	ctx := context.Background()
	admin := postal.Principal{Role: postal.RoleAdmin, UserID: "a"}
	if _, err := centre.New(f.DB, f.Clock.Now, uuid.NewString).AddBeat(ctx, admin, centre.Beat{ID: "beat-c", DCID: "dc-one", Name: "C", PINs: []string{"560047"}}); err != nil {
		t.Fatal(err)
	}
	ids := f.evening(t, testkit.ArticleSpec{Serial: 70000001, PIN: "560047"})
	res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
	if err != nil || len(res.Unassigned) != 1 || res.Unassigned[0].ID != ids[0] || !strings.Contains(res.Unassigned[0].Reason, "no postman") {
		t.Fatalf("build: %+v %v", res, err)
	}
	for name, call := range map[string]func() error{
		"postman":         func() error { _, err := f.svc.Build(ctx, f.PostmanA, "dc-one", day, postal.SlotEvening); return err },
		"other centre":    func() error { _, err := f.svc.Build(ctx, f.Supervisor2, "dc-one", day, postal.SlotEvening); return err },
		"sunday slot":     func() error { _, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotSunday); return err },
		"unknown id":      func() error { _, err := f.svc.Get(ctx, f.Supervisor, "nope"); return err },
		"mine as sup":     func() error { _, err := f.svc.Mine(ctx, f.Supervisor, "", ""); return err },
		"mine bad date":   func() error { _, err := f.svc.Mine(ctx, f.PostmanA, "tomorrow", ""); return err },
		"list by postman": func() error { _, err := f.svc.List(ctx, f.PostmanA, "dc-one", "", ""); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestStopsFollowTheRoad puts stops on a line east of the centre: the best
// tour goes out to the farthest and back, so its length is twice that leg.
func TestStopsFollowTheRoad(t *testing.T) {
	f := newFix(t, testkit.DB(t))
	var specs []testkit.ArticleSpec
	for i, k := range []int{5, 2, 6, 1, 4, 3} {
		specs = append(specs, testkit.ArticleSpec{Serial: 80000001 + i, Service: postal.ServiceLetter,
			Lat: f.DC.Lat, Lon: f.DC.Lon + float64(k)*0.002})
	}
	f.evening(t, specs...)
	res, err := f.svc.Build(context.Background(), f.Supervisor, "dc-one", day, postal.SlotEvening)
	if err != nil {
		t.Fatal(err)
	}
	far := route.GeoMatrix([]route.LatLon{{Lat: f.DC.Lat, Lon: f.DC.Lon}, {Lat: f.DC.Lat, Lon: f.DC.Lon + 0.012}}, manifest.Circuity).Dist(0, 1)
	if got := res.Manifests[0].DistanceM; got < 2*far-6 || got > 2*far+6 {
		t.Fatalf("tour is %d m, the best is %d m", got, 2*far)
	}
}

// TestManifestNamesItsCentre: the phone draws the tour from the centre and
// back, so the manifest carries the centre's position.
func TestManifestNamesItsCentre(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			db := testkit.DB(t)
			if name == "postgres" {
				db = testkit.Postgres(t)
			}
			f := newFix(t, db)
			f.evening(t, testkit.ArticleSpec{Serial: 80000101, Service: postal.ServiceLetter, Lat: f.DC.Lat + 0.004, Lon: f.DC.Lon})
			res, err := f.svc.Build(context.Background(), f.Supervisor, "dc-one", day, postal.SlotEvening)
			if err != nil || len(res.Manifests) != 1 {
				t.Fatalf("build: %+v %v", res, err)
			}
			r, err := f.svc.Get(context.Background(), f.Supervisor, res.Manifests[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if c := decode(t, r).Centre; c == nil || c.Lat != f.DC.Lat || c.Lon != f.DC.Lon {
				t.Fatalf("centre %+v, want the centre at %v,%v", c, f.DC.Lat, f.DC.Lon)
			}
		})
	}
}

func TestOTPRequiredFor(t *testing.T) {
	rule := manifest.OTPRequiredFor([]string{"registered", "cod"})
	cases := []struct {
		a    article.Article
		want bool
	}{
		{article.Article{Service: postal.ServiceRegistered}, true},
		{article.Article{Service: postal.ServiceParcel}, false},
		{article.Article{Service: postal.ServiceLetter, CODPaise: 100}, true},
		{article.Article{Service: postal.ServiceSpeedPost}, false},
	}
	for _, c := range cases {
		if got := rule(c.a); got != c.want {
			t.Errorf("%s cod %d: %v, want %v", c.a.Service, c.a.CODPaise, got, c.want)
		}
	}
	if manifest.OTPRequiredFor([]string{"none"})(article.Article{Service: postal.ServiceParcel, CODPaise: 1}) {
		t.Error("none requires a code")
	}
}
