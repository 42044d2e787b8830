package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestConsoleAccess: a postman of centre 1 and a supervisor of centre 2
// get nothing from any route the console uses, on a real resource of
// centre 1 (an article delivered with a photo, its manifest, its delivery,
// the photo, a cash settlement, the postman himself): the postman 403 or
// 404, the other centre's supervisor 404 (403 only where a role alone
// decides, before any centre is looked at), no one without a token
// anything but 401; no refused body names anything of centre 1; and the
// refused writes (and the refused reads of proofs, which are audited)
// changed nothing. Then, as a control that each path names a real
// resource, the centre's supervisor (an admin where the role decides)
// sends every request again and is not refused. The routes come from the
// Echo router itself: a route
// neither checked here nor listed in consoleUnchecked with a reason fails
// the test, so a new console route cannot be forgotten.
func TestConsoleAccess(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fx := accessFixture(t, e)
		checks := consoleChecks(fx)
		routesCovered(t, e, checks)
		sup1 := e.login("sup1")
		who := map[string]string{"post1": e.login("post1"), "post2": e.login("post2"), "sup2": e.login("sup2"), "nobody": ""}
		before := serverState(t, e, fx, sup1)
		for _, c := range checks {
			t.Run(c.method+" "+c.route, func(t *testing.T) {
				postman := "post1"
				if c.ownedBy1 != "" {
					postman = "post2" // post1 may use this route on his own round (see why)
				}
				if c.staffRead == "" {
					c.refused(t, e, fx, postman, who[postman], c.postman)
				}
				c.refused(t, e, fx, "sup2", who["sup2"], c.other)
				c.refused(t, e, fx, "nobody", "", []int{401})
			})
		}
		if after := serverState(t, e, fx, sup1); !slices.Equal(before, after) {
			for i := range min(len(before), len(after)) {
				if before[i] != after[i] {
					t.Errorf("the refused requests changed the server:\nbefore %s\nafter  %s", before[i], after[i])
				}
			}
		}
		t.Logf("%d console routes refused to a supervisor of another centre and an anonymous caller, all but the centre staff's reads to its postman; nothing changed", len(checks))
		for _, c := range checks {
			c.allowed(t, e, fx, map[bool]string{false: sup1, true: e.login("admin")}[c.adminOnly || slices.Equal(c.other, byRole)])
		}
	})
}

// allowed is the control: the request as one who may make it is not
// refused (no 401, 403, 404) and does not fail (no 5xx), so the refusals
// above were about the caller, not a wrong path. Only the status is read:
// the progress stream never ends.
func (c consoleCheck) allowed(t *testing.T, e *env, fx fixture, token string) {
	t.Helper()
	path, body, headers := c.request(fx)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(requestBody(body))
	}
	req, err := http.NewRequestWithContext(ctx, c.method, e.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("control: %s %s: %v", c.method, path, err)
	}
	defer res.Body.Close()
	if s := res.StatusCode; s == 401 || s == 403 || s == 404 || s >= 500 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		t.Errorf("control: %s %s as one who may = %d: %s", c.method, path, s, b)
	}
}

// refused sends the check's request as who and wants one of the statuses
// in a problem document (or, for a 200, an answer about the caller's own
// centre), naming nothing of centre 1 that the request did not.
func (c consoleCheck) refused(t *testing.T, e *env, fx fixture, who, token string, want []int) {
	t.Helper()
	path, body, headers := c.request(fx)
	r := e.do(c.method, path, token, body, headers...)
	if !slices.Contains(want, r.status) {
		t.Errorf("%s: %s %s = %d, want one of %v: %.300s", who, c.method, path, r.status, want, r.body)
		return
	}
	if r.status != http.StatusOK {
		wantProblem(t, r, r.status)
	}
	sent := path + " " + requestText(body)
	for _, m := range fx.markers {
		if !strings.Contains(sent, m) && strings.Contains(string(r.body), m) {
			t.Errorf("%s: %s %s = %d names %q of centre 1: %.300s", who, c.method, path, r.status, m, r.body)
		}
	}
}

// requestBody is a check's body as sent: bytes as they are, values as JSON.
func requestBody(body any) string {
	if b, ok := body.([]byte); ok {
		return string(b)
	}
	return jsonText(body)
}

// requestText is what a request body said, to tell an echo of the
// caller's own words from a leak.
func requestText(body any) string {
	switch b := body.(type) {
	case string:
		return b
	case []byte:
		return string(b)
	case nil:
		return ""
	default:
		return strings.ReplaceAll(strings.TrimSpace(jsonText(b)), `"`, "")
	}
}

// routesCovered fails for a route of the router that is neither checked
// nor listed as unchecked with a reason, and for a listed one the router
// no longer has.
func routesCovered(t *testing.T, e *env, checks []consoleCheck) {
	t.Helper()
	known := map[string]bool{}
	for _, c := range checks {
		known[c.method+" "+c.route] = true
	}
	for k := range consoleUnchecked {
		known[k] = true
	}
	seen := map[string]bool{}
	for _, r := range routesOf(t, e) {
		key := r.Method + " " + r.Path
		if r.Method == echo.RouteNotFound {
			continue // Echo's own 404 for a group without routes of that method
		}
		if strings.HasSuffix(r.Path, "*") {
			key = "* " + r.Path // Any and the app's files: every method alike
		}
		seen[key] = true
		if !known[key] {
			t.Errorf("route %s is neither checked by TestConsoleAccess nor listed in consoleUnchecked with a reason", key)
		}
	}
	for k := range known {
		if !seen[k] {
			t.Errorf("%s is checked or listed but the router has no such route", k)
		}
	}
}

// consoleUnchecked are the routes not checked, each with why: public,
// the caller's own, or the postman's at the door (their refusals to other
// postmen and supervisors are tested where the postman's flow is).
var consoleUnchecked = map[string]string{
	"GET /api/v1/audit":                    "admins only, not the console's (privacy_test: every other role 403, no token 401)",
	"GET /api/v1/privacy/export":           "admins only, not the console's (privacy_test: supervisors and postmen 403)",
	"POST /api/v1/privacy/erase":           "admins only, not the console's (privacy_test: supervisors and postmen 403)",
	"GET /healthz":                         "liveness, no data",
	"GET /readyz":                          "readiness, no data",
	"GET /metrics":                         "operators' metrics behind their own access rule (ops_test)",
	"POST /api/v1/auth/login":              "signing in",
	"POST /api/v1/auth/refresh":            "the caller's own refresh token",
	"POST /api/v1/auth/logout":             "the caller's own refresh token",
	"GET /api/v1/track/:id":                "public tracking: status and events only, no name, phone or address (track_test)",
	"GET /api/v1/openapi.yaml":             "the public contract",
	"GET /api/v1/dev/sms":                  "the demo's SMS outbox, only with DAKIYA_DEV_OUTBOX (dev_outbox tests)",
	"GET /api/v1/slot-choice/:token":       "the recipient's signed link",
	"POST /api/v1/slot-choice/:token":      "the recipient's signed link",
	"GET /api/v1/me":                       "the caller's own identity",
	"GET /api/v1/me/manifests":             "the postman's own round",
	"POST /api/v1/proofs":                  "the postman's upload at the door (proofs_test: another postman, a supervisor)",
	"POST /api/v1/deliveries":              "the postman's outcome (deliveries_test: another postman, a supervisor)",
	"POST /api/v1/articles/:id/otp/verify": "the postman at the door (otp_test: another postman, a supervisor)",
	"POST /api/v1/articles/:id/otp/resend": "the postman at the door (otp_test)",
	"GET /api/v1/articles/:id/upi":         "the postman at the door (cash_test)",
	"GET /slot/:token":                     "the recipient's page, a static shell",
	"GET /sw.js":                           "the app's service worker, static",
	"GET /track":                           "the public tracking page, static",
	"GET /console":                         "the console's page, static (its data comes from the routes checked here)",
	"POST /api/v1/tariffs":                 "admins only (tariffs_test: a supervisor is refused, a key is 401)",
	"POST /api/v1/quotes":                  "partners' keys with book only, each its own quotes (tariffs_test: staff 401, no book 403)",
	"POST /ondc/:action":                   "ONDC network participants, verified by their Ed25519 signature against the registry file, never a staff token (ondc_test)",

	// webhooks: subscriptions and delivery logs are the partner's (its key) or an admin's
	"POST /api/v1/webhooks":       "a partner's key only (webhooks_test: a staff token is 401, a key without the scope 403)",
	"GET /api/v1/webhooks/:id":    "the partner's own key or an admin (webhooks_test: another partner's key is 404)",
	"DELETE /api/v1/webhooks/:id": "the partner's own key or an admin (webhooks_test: another partner's key is 404)",

	"POST /api/v1/bookings":               "a partner's key with the book scope only (bookings_test: staff tokens 401, a key without book 403)",
	"GET /api/v1/bookings/:id":            "the booking partner's key only (bookings_test: another partner's key is 404)",
	"GET /api/v1/bookings/:id/labels.pdf": "the booking partner's key only (bookings_test: another partner's key is 404)",
	"GET /api/v1/pod/:token":              "public by a signed, expiring link to one proof (bookings_test: altered and expired links are 404)",
	"GET /api/v1/partner":                 "a partner's key only: its own partner (partners_test: a staff token is 401)",
	// partner API routes not used by staff: reasons above this line
	"GET /api/v1/dcs/:dc/forecast":          "supervisor of the centre or admin (forecast_test: a postman 403, another centre's supervisor 404)",
	"GET /api/v1/dcs/:dc/forecast/backtest": "supervisor of the centre or admin (forecast_test: a postman 403, another centre's supervisor 404)",
	"GET /api/v1/festivals":                 "any member of staff reads the calendar (forecast_test: no token 401)",
	"POST /api/v1/festivals":                "admins only (forecast_test: a supervisor 403)",
	"PUT /api/v1/festivals/:id":             "admins only (forecast_test: a postman 403)",
	"DELETE /api/v1/festivals/:id":          "admins only (forecast_test: a supervisor 403)",
	// forecast and festivals (fc.): reasons above this line
	"GET /api/v1/dcs/:dc/beat-plans/:id":           "a plan of the centre, made in the test (beatplans_test: postman 403, other centre 404, through another centre 404)",
	"POST /api/v1/dcs/:dc/beat-plans/:id/choose":   "a plan of the centre, made in the test (beatplans_test: postman 403, other centre 404, nothing stored)",
	"DELETE /api/v1/dcs/:dc/beat-plans/:id/choice": "a plan of the centre, made in the test (beatplans_test: postman 403, unknown plan 404, nothing changed)",
	// rosters and beat plans (plan.): reasons above this line
	// sorting (sort.): reasons above this line
	"* /api/v1/*": "unknown API paths: 404 for everyone",
	"* /*":        "the app's static files",
}
