package httpapi_test

import (
	"bytes"
	"math"
	"testing"

	"dakiya/assets"
	"dakiya/internal/demo"
	"dakiya/internal/forecast"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// testFestivals is the built-in festival calendar.
func testFestivals(t testing.TB) []forecast.Festival {
	t.Helper()
	fs, err := forecast.ReadFestivals(bytes.NewReader(assets.Festivals()))
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// importHistory writes a demo-like year of arrivals into dc-one, ending
// yesterday (the harness's today is 2026-11-25).
func importHistory(t *testing.T, db *store.DB) {
	t.Helper()
	as := demo.History(demo.HistorySpec{Base: 300, Trend: 0.08, Seed: 7}, testFestivals(t), "2026-11-25", 365)
	if err := db.ImportArrivals(t.Context(), "dc-one", as); err != nil {
		t.Fatal(err)
	}
}

func TestForecastAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		importHistory(t, db)
		sup, sup2, admin := e.login("sup1"), e.login("sup2"), e.login("admin")
		r := e.do("GET", "/api/v1/dcs/dc-one/forecast", sup, nil)
		if r.status != 200 {
			t.Fatalf("forecast: %d %s", r.status, r.body)
		}
		v := r.json(t)
		dates := v["dates"].([]any)
		if v["from"] != "2026-11-26" || len(dates) != 14 || v["history_to"] != "2026-11-24" {
			t.Fatalf("default range: from %v, %d dates, history to %v", v["from"], len(dates), v["history_to"])
		}
		slotOf := func(i int, name string) map[string]any {
			for _, s := range dates[i].(map[string]any)["slots"].([]any) {
				if sm := s.(map[string]any); sm["slot"] == name {
					return sm
				}
			}
			t.Fatalf("%v has no %s slot", dates[i], name)
			return nil
		}
		// 2026-11-29 is a Sunday: only the Sunday slot runs.
		if sun := dates[3].(map[string]any); sun["date"] != "2026-11-29" || len(sun["slots"].([]any)) != 1 {
			t.Fatalf("Sunday: %v", sun)
		}
		sunday, monday, tuesday := slotOf(3, "sunday"), slotOf(4, "morning"), slotOf(5, "morning")
		if monday["expected"].(float64) <= tuesday["expected"].(float64) || sunday["expected"].(float64) <= 0 {
			t.Errorf("Monday morning %v should exceed Tuesday's %v (the weekend's mail); Sunday %v", monday["expected"], tuesday["expected"], sunday["expected"])
		}
		for _, s := range []map[string]any{sunday, monday, tuesday} {
			le, capacity := s["letter_equivalents"].(float64), s["capacity"].(float64)
			if need := s["postmen_needed"].(float64); need != math.Ceil(le/capacity) || need < 1 {
				t.Errorf("%v: %v postmen for %v letter equivalents at %v", s["slot"], need, le, capacity)
			}
			svc := s["services"].([]any)[3].(map[string]any)
			if svc["service"] != "parcel" || svc["method"] != "holt_winters" || !(svc["lo95"].(float64) <= svc["expected"].(float64) && svc["expected"].(float64) <= svc["hi95"].(float64)) {
				t.Errorf("parcels: %v", svc)
			}
			if _, ok := s["rostered"].(float64); !ok {
				t.Errorf("rostered: %v", s["rostered"])
			}
			if s["understaffed"] != (s["rostered"].(float64) < s["postmen_needed"].(float64)) {
				t.Errorf("understaffed %v with %v rostered, %v needed", s["understaffed"], s["rostered"], s["postmen_needed"])
			}
		}
		if r := e.do("GET", "/api/v1/dcs/dc-one/forecast?from=2026-11-25&days=1", admin, nil); r.status != 200 {
			t.Errorf("admin, today: %d %s", r.status, r.body)
		} else if d := r.json(t)["dates"].([]any); len(d) != 1 {
			t.Errorf("days=1: %d dates", len(d))
		}
		// A centre with no history forecasts zeros, flagged.
		if r := e.do("GET", "/api/v1/dcs/dc-two/forecast?days=2", sup2, nil); r.status != 200 {
			t.Errorf("dc-two: %d %s", r.status, r.body)
		}
	})
}

func TestForecastAPIBadInput(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup, post, sup2, admin := e.login("sup1"), e.login("post1"), e.login("sup2"), e.login("admin")
		for _, c := range []struct {
			path, token string
			status      int
		}{
			{"/api/v1/dcs/dc-one/forecast?from=2026-13-01", sup, 400},
			{"/api/v1/dcs/dc-one/forecast?from=26-11-2026", sup, 400},
			{"/api/v1/dcs/dc-one/forecast?from=2026-11-24", sup, 400}, // yesterday
			{"/api/v1/dcs/dc-one/forecast?from=2026-12-24", sup, 400}, // 29 days ahead
			{"/api/v1/dcs/dc-one/forecast?days=0", sup, 400},
			{"/api/v1/dcs/dc-one/forecast?days=29", sup, 400},
			{"/api/v1/dcs/dc-one/forecast?days=two", sup, 400},
			{"/api/v1/dcs/dc-one/forecast", post, 403},
			{"/api/v1/dcs/dc-one/forecast", sup2, 404},
			{"/api/v1/dcs/dc-nowhere/forecast", admin, 404},
			{"/api/v1/dcs/dc-one/forecast", "", 401},
			{"/api/v1/dcs/dc-one/forecast/backtest", post, 403},
			{"/api/v1/dcs/dc-one/forecast/backtest", sup2, 404},
			{"/api/v1/dcs/dc-one/forecast/backtest", sup, 422}, // no history yet
		} {
			wantProblem(t, e.do("GET", c.path, c.token, nil), c.status)
		}
	})
}

func TestForecastBacktestAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		importHistory(t, db)
		r := e.do("GET", "/api/v1/dcs/dc-one/forecast/backtest", e.login("sup1"), nil)
		if r.status != 200 {
			t.Fatalf("backtest: %d %s", r.status, r.body)
		}
		v := r.json(t)
		folds := v["folds"].([]any)
		if len(folds) != 8 || v["horizon"].(float64) != 14 || folds[7].(map[string]any)["origin"] != "2026-11-10" {
			t.Fatalf("folds: %d, horizon %v, last origin %v", len(folds), v["horizon"], folds[7].(map[string]any)["origin"])
		}
		if m, n := v["mase"].(float64), v["naive_mase"].(float64); m >= 1 || m >= n {
			t.Errorf("MASE %.3f, seasonal naive %.3f", m, n)
		}
	})
}

func TestFestivalsAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup, post, admin := e.login("sup1"), e.login("post1"), e.login("admin")
		r := e.do("GET", "/api/v1/festivals", post, nil)
		if r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		if n := len(r.json(t)["items"].([]any)); n != len(testFestivals(t)) {
			t.Fatalf("%d festivals, want the built-in %d", n, len(testFestivals(t)))
		}
		onam := map[string]any{"date": "2026-08-26", "name": "Onam", "region": "Kerala", "before_days": 5, "after_days": 1}
		wantProblem(t, e.do("POST", "/api/v1/festivals", sup, onam), 403)
		r = e.do("POST", "/api/v1/festivals", admin, onam)
		if r.status != 201 || r.json(t)["id"] != "2026-08-26-onam" {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("POST", "/api/v1/festivals", admin, onam), 409)
		for _, bad := range []any{
			map[string]any{"date": "2026-02-30", "name": "X", "before_days": 1, "after_days": 1},
			map[string]any{"date": "2026-08-26", "name": "", "before_days": 1, "after_days": 1},
			map[string]any{"date": "2026-08-26", "name": "X", "before_days": 31, "after_days": 1},
			map[string]any{"date": "2026-08-26", "name": "X", "before_days": 1, "after_days": -1},
			map[string]any{"date": "2026-08-26", "name": "X", "before_days": 1, "after_days": 1, "colour": "red"},
			"{not json",
		} {
			wantProblem(t, e.do("POST", "/api/v1/festivals", admin, bad), 400)
		}
		onam["before_days"] = 7
		r = e.do("PUT", "/api/v1/festivals/2026-08-26-onam", admin, onam)
		if r.status != 200 || r.json(t)["before_days"].(float64) != 7 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("PUT", "/api/v1/festivals/2026-08-26-onam", post, onam), 403)
		wantProblem(t, e.do("PUT", "/api/v1/festivals/nope", admin, onam), 404)
		onam["name"] = "Diwali"
		onam["date"] = "2026-11-08"
		wantProblem(t, e.do("PUT", "/api/v1/festivals/2026-08-26-onam", admin, onam), 409)
		wantProblem(t, e.do("DELETE", "/api/v1/festivals/2026-08-26-onam", sup, nil), 403)
		if r := e.do("DELETE", "/api/v1/festivals/2026-08-26-onam", admin, nil); r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("DELETE", "/api/v1/festivals/2026-08-26-onam", admin, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/festivals", "", nil), 401)
		if n := e.count("festivals"); n != len(testFestivals(t)) {
			t.Errorf("%d festivals after add and delete, want %d", n, len(testFestivals(t)))
		}
	})
}
