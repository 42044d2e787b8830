package manifest_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"dakiya/internal/auth"
	"dakiya/internal/beatplan"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// articlesOn lists a manifest's article ids in stop order.
func articlesOn(t *testing.T, f fix, res manifest.BuildResult, beat string) (string, []string) {
	t.Helper()
	s := byBeat(t, res, beat)
	m := decode(t, mustManifest(t, f.DB, s.ID))
	var ids []string
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			ids = append(ids, it.ID)
		}
	}
	return m.PostmanID, ids
}

// TestBuildFollowsTheRosterAndAPlan: a beat whose postman is on leave has
// its articles reported unassigned (and its old draft removed) while the
// other beat builds as before; a reliever covering the beat gets it; a
// chosen plan moves an article to another postman and fixes the stops'
// order, an article that arrived after the plan goes by its beat; clearing
// the plan goes back to the fixed beats.
func TestBuildFollowsTheRosterAndAPlan(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFix(t, db)
		ids := f.evening(t, testkit.ArticleSpec{Serial: 91000001}, testkit.ArticleSpec{Serial: 91000002},
			testkit.ArticleSpec{Serial: 91000003, PIN: "560095"})
		a1, a2, b1 := ids[0], ids[1], ids[2]
		build := func() manifest.BuildResult {
			t.Helper()
			res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := build(); len(res.Manifests) != 2 || len(res.Unassigned) != 0 {
			t.Fatalf("default roster: %+v", res)
		}
		put := func(user string, st roster.Status, covers string) {
			t.Helper()
			e := roster.Entry{UserID: user, Date: day, Status: st, CoversBeatID: covers, UpdatedBy: "sup", UpdatedAt: f.Clock.Now()}
			if err := db.PutRosterEntry(ctx, "dc-one", e, []postal.Slot{postal.SlotEvening}); err != nil {
				t.Fatal(err)
			}
		}
		put(f.PostmanA.UserID, roster.Leave, "")
		res := build()
		if len(res.Manifests) != 1 || res.Manifests[0].BeatID != "beat-b" || len(res.Unassigned) != 2 {
			t.Fatalf("on leave: %+v", res)
		}
		for _, u := range res.Unassigned {
			if u.Reason != "postman posta is on leave on "+day {
				t.Errorf("reason: %q", u.Reason)
			}
		}
		if list, _ := db.Manifests(ctx, manifest.Filter{DCID: "dc-one", Date: day, Slot: postal.SlotEvening}); len(list) != 1 {
			t.Fatalf("the on-leave postman's draft stayed: %+v", list)
		}
		relief, err := f.Auth.CreateUser(ctx, auth.NewUser{Username: "relief", Name: "Relief", Role: postal.RolePostman, DCID: "dc-one", Password: testkit.Password})
		if err != nil {
			t.Fatal(err)
		}
		put(relief.ID, roster.OnDuty, "beat-a")
		res = build()
		if who, got := articlesOn(t, f, res, "beat-a"); who != relief.ID || len(got) != 2 || len(res.Unassigned) != 0 {
			t.Fatalf("reliever: %s %v %+v", who, got, res)
		}
		routes := []manifest.PlanRoute{
			{PostmanID: f.PostmanB.UserID, BeatID: "beat-b", ArticleIDs: []string{b1, a1}},
			{PostmanID: relief.ID, BeatID: "beat-a", ArticleIDs: []string{a2}},
		}
		plan, _ := json.Marshal(manifest.Plan{ID: "plan-1", Routes: routes})
		sp := beatplan.Record{ID: "plan-1", DCID: "dc-one", Date: day, Slot: postal.SlotEvening, Body: plan, CreatedBy: "sup",
			CreatedAt: f.Clock.Now(), Routes: routes}
		if err := db.SaveBeatPlan(ctx, sp); err != nil {
			t.Fatal(err)
		}
		if err := db.ChooseBeatPlan(ctx, sp, "sup", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		late := f.evening(t, testkit.ArticleSpec{Serial: 91000004})[0]
		res = build()
		if who, got := articlesOn(t, f, res, "beat-b"); who != f.PostmanB.UserID || !slices.Equal(got, []string{b1, a1}) {
			t.Fatalf("plan's beat-b: %s %v", who, got)
		}
		if who, got := articlesOn(t, f, res, "beat-a"); who != relief.ID || !slices.Equal(got, []string{a2, late}) {
			t.Fatalf("plan's beat-a with the late article: %s %v", who, got)
		}
		if ok, err := db.ClearBeatPlan(ctx, "dc-one", day, postal.SlotEvening); !ok || err != nil {
			t.Fatalf("clear: %v %v", ok, err)
		}
		res = build()
		if _, got := articlesOn(t, f, res, "beat-b"); !slices.Equal(got, []string{b1}) {
			t.Fatalf("fixed beats again: %v", got)
		}
		if _, got := articlesOn(t, f, res, "beat-a"); len(got) != 3 || strings.Contains(strings.Join(got, ","), b1) {
			t.Fatalf("fixed beat-a again: %v", got)
		}
		// Chosen again, the plan's drafts go out: a1 with postb on beat-b.
		if err := db.ChooseBeatPlan(ctx, sp, "sup", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		for _, m := range build().Manifests {
			if _, err := f.svc.Dispatch(ctx, f.Supervisor, m.ID); err != nil {
				t.Fatalf("dispatch %s: %v", m.BeatID, err)
			}
		}
		if a, err := db.Article(ctx, a1); err != nil || a.Status != "out_for_delivery" {
			t.Fatalf("a1 after dispatch: %+v %v", a.Status, err)
		}
	})
}
