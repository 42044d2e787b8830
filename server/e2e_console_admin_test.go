package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dakiya/internal/testkit"
)

// TestConsoleAdmin runs e2e/console-admin.mjs: in the console's admin
// screen the admin adds a postman (who then signs in to the postman's
// app), a beat for them (its DIGIPIN prefixes on the map), disables and
// enables a postman, resets a password, adds a holiday and a centre, in
// English and Hindi; a supervisor of another centre sees only their own
// and no admin-only action. Then it checks through the API what the
// browser changed.
func TestConsoleAdmin(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, requests := serveLogged(t, env)
	browser, control := phoneNetwork(t, base)
	shots := t.TempDir()
	out := runE2E(t, node, root, "console-admin.mjs", browser, base, control, shots)
	var res struct {
		Postman   string
		PostmanID string `json:"postman_id"`
		Beat      string
		Prefixes  []string
		Reset     struct{ Username, Password string }
		Holiday   string
		Centre    string
		Map       string
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Beat == "" || res.Postman == "" || res.Centre == "" {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkAdminChanges(t, base, res.Postman, res.PostmanID, res.Beat, res.Prefixes, res.Holiday, res.Centre)
	if got := loginStatus(t, base, res.Reset.Username, res.Reset.Password); got != 200 {
		t.Errorf("%s signs in with the password the admin set: %d", res.Reset.Username, got)
	}
	if got := loginStatus(t, base, res.Reset.Username, "dakiya-demo"); got != 401 {
		t.Errorf("%s signs in with the old password: %d, want 401", res.Reset.Username, got)
	}
	for _, r := range requests() {
		if r.User == "supervisor2" && r.Status == 403 {
			t.Errorf("the supervisor's console asked for something refused: %+v", r)
		}
	}
	t.Logf("server side: %s is a postman of blr-koramangala walking %s (%v), holiday %s, centre %s; the map was a %s",
		res.Postman, res.Beat, res.Prefixes, res.Holiday, res.Centre, res.Map)
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyAdminShots(t, shots, filepath.Join(root, "docs"))
	}
}

// adminBeat is a beat as GET /dcs/{dc}/beats lists it.
type adminBeat struct {
	ID              string
	PostmanID       string   `json:"postman_id"`
	DIGIPINPrefixes []string `json:"digipin_prefixes"`
}

// loginStatus is the status of a sign-in with a password.
func loginStatus(t *testing.T, base, username, password string) int {
	t.Helper()
	res, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// checkAdminChanges reads back, as the admin, what the browser changed.
func checkAdminChanges(t *testing.T, base, postman, postmanID, beat string, prefixes []string, holiday, centre string) {
	t.Helper()
	adm := login(t, base, "admin")
	var users struct {
		Items []struct {
			ID, Username, Role string
			DCID               string `json:"dc_id"`
			Disabled           bool
		}
	}
	getJSON(t, base+"/api/v1/users", adm, 200, &users)
	for _, u := range users.Items {
		switch {
		case u.Username == postman && (u.ID != postmanID || u.Role != "postman" || u.DCID != "blr-koramangala" || u.Disabled):
			t.Errorf("the new postman is %+v", u)
		case u.Disabled:
			t.Errorf("%s is left disabled", u.Username)
		}
	}
	var beats struct{ Items []adminBeat }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/beats", adm, 200, &beats)
	i := slices.IndexFunc(beats.Items, func(b adminBeat) bool { return b.ID == beat })
	if i < 0 || beats.Items[i].PostmanID != postmanID || !slices.Equal(beats.Items[i].DIGIPINPrefixes, prefixes) {
		t.Errorf("beats: %+v; want %s walked by %s over %v", beats.Items, beat, postmanID, prefixes)
	}
	var cal struct{ Holidays []string }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/calendar", adm, 200, &cal)
	if !slices.Contains(cal.Holidays, holiday) {
		t.Errorf("the calendar's holidays are %v, want %s among them", cal.Holidays, holiday)
	}
	getJSON(t, base+"/api/v1/dcs/"+centre, adm, 200, nil)
	var jaipur struct{ Items []struct{ ID string } }
	getJSON(t, base+"/api/v1/dcs/jaipur-city/beats", adm, 200, &jaipur)
	if len(jaipur.Items) != 1 {
		t.Errorf("jaipur-city has beats %+v; the supervisor's refused beat was added", jaipur.Items)
	}
}

// copyAdminShots copies the run's console-admin-*.png into docs/.
func copyAdminShots(t *testing.T, from, to string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(from, "console-admin-*.png"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("DAKIYA_SCREENSHOTS=1: copied %d screenshots to %s", len(files), to)
}
