package demo_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/demo"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// wednesday is a clock on Wednesday 25 November 2026, 09:30 in India.
var wednesday = time.Date(2026, 11, 25, 9, 30, 0, 0, ist)

// wantCentre is what the demo promises for one centre.
type wantCentre struct {
	id       string
	articles int
	postmen  map[string]string // beat id → postman username
}

var wantCentres = []wantCentre{
	{"blr-koramangala", 240, map[string]string{
		"blr-koramangala-east": "postman1", "blr-koramangala-south": "postman2", "blr-koramangala-west": "postman3"}},
	{"jaipur-city", 80, map[string]string{"jaipur-city-city": "postman4"}},
}

func deps(t testing.TB, db *store.DB, now func() time.Time) demo.Deps {
	t.Helper()
	a, err := auth.New(db, []byte("0123456789abcdef0123456789abcdef"), auth.DefaultPolicy(), now, uuid.NewString)
	if err != nil {
		t.Fatal(err)
	}
	return demo.Deps{Centres: centre.New(db, now, uuid.NewString), Auth: a, Users: db,
		Articles: article.New(db, now), Slots: slot.New(db, slot.NewLinks(make([]byte, 32), "http://demo.test"), now), Now: now}
}

func load(t testing.TB, d demo.Deps) demo.Summary {
	t.Helper()
	sum, err := demo.Load(context.Background(), d)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return sum
}

// articles returns a centre's stored articles in id order.
func articles(t testing.TB, db *store.DB, dc string) []article.Article {
	t.Helper()
	as, err := db.ListArticles(context.Background(), dc, article.Filter{Limit: 1000})
	if err != nil {
		t.Fatalf("ListArticles(%s): %v", dc, err)
	}
	return as
}

func TestLoad(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := deps(t, db, func() time.Time { return wednesday })
		want := demo.Summary{Centres: 2, Beats: 4, Users: 12, Articles: 320}
		if got := load(t, d); got != want {
			t.Fatalf("first Load = %+v, want %+v", got, want)
		}
		admin := postal.Principal{Role: postal.RoleAdmin, Username: "admin"}
		for _, wc := range wantCentres {
			dc, err := d.Centres.Get(ctx, admin, wc.id)
			if err != nil {
				t.Fatalf("Get(%s): %v", wc.id, err)
			}
			checkBeats(t, d, dc, wc)
			as := articles(t, db, wc.id)
			if len(as) != wc.articles {
				t.Errorf("%s has %d articles, want %d", wc.id, len(as), wc.articles)
			}
			for _, a := range as {
				checkArticle(t, dc, a, wednesday)
			}
			logMix(t, wc.id, as)
		}
		if got := load(t, d); got != (demo.Summary{AlreadyLoaded: true}) {
			t.Errorf("second Load = %+v, want only AlreadyLoaded", got)
		}
		if n := len(articles(t, db, "blr-koramangala")) + len(articles(t, db, "jaipur-city")); n != 320 {
			t.Errorf("after the second Load there are %d articles, want 320", n)
		}
		if _, err := d.Auth.Login(ctx, "supervisor1", demo.Password, "192.0.2.1"); err != nil {
			t.Errorf("supervisor1 cannot log in with the demo password: %v", err)
		}
	})
}

// checkBeats checks that each beat exists with its postman, who works at
// the centre.
func checkBeats(t testing.TB, d demo.Deps, dc centre.DC, wc wantCentre) {
	t.Helper()
	if len(dc.Beats) != len(wc.postmen) {
		t.Fatalf("%s has %d beats, want %d", dc.ID, len(dc.Beats), len(wc.postmen))
	}
	for _, b := range dc.Beats {
		u, err := d.Users.UserByUsername(context.Background(), wc.postmen[b.ID])
		if err != nil {
			t.Fatalf("beat %s: postman %q: %v", b.ID, wc.postmen[b.ID], err)
		}
		if b.PostmanID != u.ID || u.Role != postal.RolePostman || u.DCID != dc.ID {
			t.Errorf("beat %s has postman %s, want %s (%s of %s)", b.ID, b.PostmanID, u.ID, u.Role, u.DCID)
		}
		if len(b.DIGIPINPrefixes) == 0 || len(b.PINs) == 0 {
			t.Errorf("beat %s has %d DIGIPIN prefixes and %d PIN codes", b.ID, len(b.DIGIPINPrefixes), len(b.PINs))
		}
		t.Logf("beat %s: %d DIGIPIN prefixes, PIN codes %v", b.ID, len(b.DIGIPINPrefixes), b.PINs)
	}
}

// checkArticle checks one stored article against the demo's promises.
func checkArticle(t testing.TB, dc centre.DC, a article.Article, now time.Time) {
	t.Helper()
	if id, err := postal.ParseS10(a.ID); err != nil || id.String() != a.ID || id.Country() != "IN" ||
		!indicatorFits(a.Service, id.ServiceIndicator()) {
		t.Errorf("%s: not a valid Indian S10 id for %s: %v", a.ID, a.Service, err)
	}
	r := a.Recipient
	if phone, err := postal.NormalizePhone(r.Phone); err != nil || phone != r.Phone || !postal.ValidPIN(r.PIN) {
		t.Errorf("%s: phone %q or PIN %q is not valid", a.ID, r.Phone, r.PIN)
	}
	if r.Lat == nil || r.Lon == nil || distanceM(dc.Lat, dc.Lon, *r.Lat, *r.Lon) > 3030 {
		t.Fatalf("%s: recipient is not within 3 km of %s", a.ID, dc.ID)
	}
	if code, _ := postal.EncodeDIGIPIN(*r.Lat, *r.Lon); a.DIGIPIN == "" || a.DIGIPIN != code {
		t.Errorf("%s: DIGIPIN %q, want %q", a.ID, a.DIGIPIN, code)
	}
	if !coveredByPrefix(dc.Beats, a.BeatID, a.DIGIPIN) {
		t.Errorf("%s: beat %q does not cover DIGIPIN %s by prefix", a.ID, a.BeatID, a.DIGIPIN)
	}
	if cod := a.CODPaise; cod != 0 && (cod < 199_00 || cod > 4999_00 || cod%100 != 0 ||
		(a.Service != postal.ServiceParcel && a.Service != postal.ServiceSpeedPost)) {
		t.Errorf("%s: COD of %s rupees on %s", a.ID, cod.Rupees(), a.Service)
	}
	checkSchedule(t, a, now)
}

// checkSchedule checks that a is scheduled within three days of now, in
// India, and in the Sunday slot exactly when the date is a Sunday.
func checkSchedule(t testing.TB, a article.Article, now time.Time) {
	t.Helper()
	if a.Status != article.StatusScheduled || a.Schedule == nil {
		t.Fatalf("%s: status %s, schedule %v; want scheduled", a.ID, a.Status, a.Schedule)
	}
	day, err := time.ParseInLocation(time.DateOnly, a.Schedule.Date, ist)
	if err != nil {
		t.Fatalf("%s: schedule date %q: %v", a.ID, a.Schedule.Date, err)
	}
	local := now.In(ist)
	start := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, ist)
	if day.Before(start) || !day.Before(start.AddDate(0, 0, 3)) {
		t.Errorf("%s: scheduled on %s, want within 3 days of %s", a.ID, a.Schedule.Date, start.Format(time.DateOnly))
	}
	if sunday := day.Weekday() == time.Sunday; sunday != (a.Schedule.Slot == postal.SlotSunday) || !a.Schedule.Slot.Valid() {
		t.Errorf("%s: slot %s on %s (%s)", a.ID, a.Schedule.Slot, a.Schedule.Date, day.Weekday())
	}
	if a.SlotPreference != "" && !sundayOr(day, a.Schedule.Slot, a.SlotPreference) {
		t.Errorf("%s: prefers %s but scheduled %s", a.ID, a.SlotPreference, a.Schedule.Slot)
	}
}

// sundayOr reports whether slot honours a preference, which a Sunday
// overrides.
func sundayOr(day time.Time, slot, pref postal.Slot) bool {
	return day.Weekday() == time.Sunday || slot == pref
}

func indicatorFits(s postal.Service, ind string) bool {
	switch s {
	case postal.ServiceSpeedPost:
		return ind == "EE" || ind == "EM"
	case postal.ServiceRegistered:
		return ind == "RR" || ind == "RU"
	case postal.ServiceParcel:
		return ind == "CP" || ind == "CA"
	case postal.ServiceLetter:
		return ind[0] == 'L'
	}
	return false
}

// coveredByPrefix reports whether beat id is among beats and covers code
// by a DIGIPIN prefix, not merely by the PIN code fallback.
func coveredByPrefix(beats []centre.Beat, id, code string) bool {
	for _, b := range beats {
		if b.ID == id {
			return b.Covers(code, "")
		}
	}
	return false
}

// distanceM is the distance on a sphere, which differs from the demo's
// WGS84 reckoning by up to 1 %.
func distanceM(lat0, lon0, lat, lon float64) float64 {
	const earth = 6_371_000.0
	rad := math.Pi / 180
	x := (lon - lon0) * rad * math.Cos(lat0*rad)
	return earth * math.Hypot((lat-lat0)*rad, x)
}

// logMix logs the make-up of a centre's articles and checks that each kind
// the demo is meant to show is there.
func logMix(t testing.TB, dc string, as []article.Article) {
	t.Helper()
	households := map[string]int{}
	cod, pref := 0, 0
	services := map[postal.Service]int{}
	for _, a := range as {
		households[a.Recipient.Address+"|"+a.Recipient.Phone]++
		services[a.Service]++
		if a.CODPaise > 0 {
			cod++
		}
		if a.SlotPreference != "" {
			pref++
		}
	}
	multi := 0
	for _, n := range households {
		if n > 1 {
			multi++
		}
	}
	t.Logf("%s: %d articles, %d households (%d with 2–3 articles), %d COD, %d with a slot preference, %v",
		dc, len(as), len(households), multi, cod, pref, services)
	if multi == 0 || cod == 0 || pref == 0 || len(services) != 4 {
		t.Errorf("%s lacks households with several articles, COD, slot preferences or a service", dc)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	now := func() time.Time { return wednesday }
	db1, db2 := testkit.DB(t), testkit.DB(t)
	load(t, deps(t, db1, now))
	load(t, deps(t, db2, now))
	for _, wc := range wantCentres {
		if diff := cmp.Diff(articles(t, db1, wc.id), articles(t, db2, wc.id)); diff != "" {
			t.Errorf("%s: two loads with the same clock differ (-first +second):\n%s", wc.id, diff)
		}
	}
}

func TestLoadOnSunday(t *testing.T) {
	// 01:30 on Sunday 29 November 2026 in India, still Saturday in UTC: the
	// centre's zone decides the day.
	sunday := time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC)
	db := testkit.DB(t)
	now := func() time.Time { return sunday }
	d := deps(t, db, now)
	d.Rosters = roster.New(db, now)
	load(t, d)
	// The roster has nobody on duty in a Sunday slot unless told: the
	// demo puts the beats' postmen on Sunday duty, so this Sunday's slot
	// builds with a manifest for each beat.
	mf := manifest.New(db, now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond})
	for _, wc := range wantCentres {
		sup := postal.Principal{Role: postal.RoleAdmin, UserID: "admin"}
		res, err := mf.Build(context.Background(), sup, wc.id, "2026-11-29", postal.SlotSunday)
		if err != nil || len(res.Manifests) != len(wc.postmen) || len(res.Unassigned) != 0 {
			t.Errorf("%s: Sunday build %+v %v", wc.id, res, err)
		}
	}
	n := 0
	for _, wc := range wantCentres {
		for _, a := range articles(t, db, wc.id) {
			checkSchedule(t, a, sunday)
			if a.Schedule.Slot == postal.SlotSunday {
				n++
				if a.Schedule.Date != "2026-11-29" {
					t.Errorf("%s: Sunday slot on %s", a.ID, a.Schedule.Date)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no article is in the Sunday slot")
	}
	t.Logf("%d articles in the Sunday slot", n)
}

func TestLoadStopsOnABrokenDatabase(t *testing.T) {
	db := testkit.DB(t)
	d := deps(t, db, func() time.Time { return wednesday })
	db.Close()
	if _, err := demo.Load(context.Background(), d); err == nil || !strings.Contains(err.Error(), "demo:") {
		t.Errorf("Load on a closed database = %v, want a demo: error", err)
	}
}
