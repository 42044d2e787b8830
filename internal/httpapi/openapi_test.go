package httpapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dakiya/assets"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestOpenAPIDocument: the document served at /api/v1/openapi.yaml is
// assets/openapi.yaml byte for byte, it is OpenAPI 3.1.0, and it is valid
// against the OpenAPI 3.1 schema as the validator library reads it.
func TestOpenAPIDocument(t *testing.T) {
	file, err := os.ReadFile("../../assets/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, assets.OpenAPI()) {
		t.Fatal("the embedded document differs from assets/openapi.yaml")
	}
	if !bytes.HasPrefix(file, []byte("openapi: 3.1.0\n")) {
		t.Fatalf("the document does not start with openapi: 3.1.0: %.40q", file)
	}
	for _, e := range apiContract.documentErrors() {
		t.Errorf("assets/openapi.yaml is not valid OpenAPI 3.1: %s", e)
	}
	ids := map[string]string{}
	for _, o := range apiContract.ops {
		if o.id == "" {
			t.Errorf("%s %s has no operationId", o.method, o.template)
		} else if other, dup := ids[o.id]; dup {
			t.Errorf("operationId %s is used by %s and %s %s", o.id, other, o.method, o.template)
		}
		ids[o.id] = o.method + " " + o.template
	}
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("GET", "/api/v1/openapi.yaml", "", nil)
		if r.status != 200 || !bytes.Equal(r.body, file) {
			t.Fatalf("GET /api/v1/openapi.yaml: %d, %d bytes, not assets/openapi.yaml (%d bytes)", r.status, len(r.body), len(file))
		}
	})
}

// routeExceptions are the routes the document deliberately leaves out,
// each with why. Every other route of the router must be documented, and
// every documented operation must be a route.
var routeExceptions = map[string]string{
	"* /api/v1/*": "the catch-all that answers an unknown /api/v1 route (or a known path with another method) " +
		"with a 404 problem, described in info.description; the contract test holds its answers to that",
	"* /*":         "the app's static files (the PWA shell, scripts, styles, icons), not API",
	"GET /sw.js":   "the PWA's service worker, a static file",
	"GET /track":   "the public tracking page, a static HTML page of the PWA",
	"GET /console": "the supervisors' console, a static HTML page of the PWA",
}

// pathParam is an Echo path parameter.
var pathParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// TestOpenAPIRoutes: the router's own table (every route httpapi.New
// registers, with every optional part switched on as in the tests) and the
// document's operations are the same set, save routeExceptions; a route
// the document does not describe fails, and so does a documented operation
// no route serves.
func TestOpenAPIRoutes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		documented := map[string]bool{}
		for _, o := range apiContract.ops {
			documented[o.method+" "+o.template] = true
		}
		routed := map[string]bool{}
		routes := routesOf(t, e)
		slices.SortFunc(routes, func(a, b *echo.Route) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
		for _, r := range routes {
			if r.Method == echo.RouteNotFound {
				continue // Echo's own 404 for a group without routes of that method
			}
			key := r.Method + " " + pathParam.ReplaceAllString(r.Path, "{$1}")
			if strings.HasSuffix(r.Path, "*") {
				key = "* " + r.Path // Any and the app's files: every method alike
			}
			if routed[key] {
				continue
			}
			routed[key] = true
			if _, ok := routeExceptions[key]; ok {
				continue
			}
			if !documented[key] {
				t.Errorf("route %s (Echo %s %s) is not described by assets/openapi.yaml: document it "+
					"(paths, with its parameters, request body, every response and its problems), or list it "+
					"in routeExceptions with the reason", key, r.Method, r.Path)
			}
		}
		for k := range routeExceptions {
			if !routed[k] {
				t.Errorf("routeExceptions lists %s, which the router does not have", k)
			}
		}
		var ops []string
		for k := range documented {
			ops = append(ops, k)
		}
		slices.Sort(ops)
		for _, k := range ops {
			if !routed[k] {
				t.Errorf("assets/openapi.yaml documents %s, which the router does not serve", k)
			}
		}
		t.Logf("%d routes, %d documented operations, %d exceptions", len(routed), len(documented), len(routeExceptions))
	})
}

// TestOpenAPIContractCatches: the contract check is not vacuous: on a
// contract of its own (so nothing here counts as exercised), answers the
// document does not allow are each reported, and a documented one is not.
func TestOpenAPIContractCatches(t *testing.T) {
	c, err := loadContract(assets.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	partner := `{"id":"p1","name":"Acme","billing_dc":"dc-one","discount_bp":0,"billing":"prepaid","wallet_paise":0,"created_at":"2026-11-25T04:30:00Z"}`
	for _, x := range []struct {
		name, method, path, reqBody string
		status                      int
		ctype, body, want           string
	}{
		{"documented", "GET", "/api/v1/partners", "", 200, "application/json", `{"items":[` + partner + `]}`, ""},
		{"wrong type", "GET", "/api/v1/partners", "", 200, "application/json", `{"items":[{"id":1}]}`, "$.items[0].id: got number"},
		{"missing field", "GET", "/api/v1/partners/p1", "", 200, "application/json", `{"id":"p1"}`, "missing propert"},
		{"undocumented status", "GET", "/api/v1/partners", "", 418, "application/problem+json", `{}`, "418"},
		{"wrong content type", "GET", "/api/v1/partners", "", 200, "text/plain", `hi`, "text/plain"},
		{"problem not a problem", "GET", "/api/v1/partners", "", 403, "application/problem+json", `{"status":403}`, "missing propert"},
		{"missing required header", "GET", "/api/v1/partners", "", 401, "application/problem+json",
			`{"type":"urn:dakiya:problem:unauthenticated","title":"Unauthorized","status":401,"detail":"x"}`, "WWW-Authenticate"},
		{"route not documented", "GET", "/api/v1/nowhere", "", 200, "application/json", `{}`, "no documented path"},
		{"method not documented", "PUT", "/api/v1/partners", "", 200, "application/json", `{}`, "no PUT on /api/v1/partners"},
		{"accepted what the document refuses", "POST", "/api/v1/partners", `{"name":"X","billing_dc":"dc-one","bogus":1}`,
			201, "application/json", partner, "the document refuses it"},
	} {
		t.Run(x.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", x.ctype)
				w.Header().Set("X-Request-Id", "r1")
				w.WriteHeader(x.status)
				_, _ = w.Write([]byte(x.body))
			})
			req := httptest.NewRequest(x.method, x.path, strings.NewReader(x.reqBody))
			req.Header.Set("Authorization", "Bearer t")
			if x.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			in := &teeBody{ReadCloser: req.Body}
			req.Body = in
			rec := &recorder{ResponseWriter: httptest.NewRecorder()}
			h.ServeHTTP(rec, req)
			got := strings.Join(c.verify(req, in.rest(), rec), "\n")
			switch {
			case x.want == "" && got != "":
				t.Fatalf("a documented answer was reported: %s", got)
			case x.want != "" && !strings.Contains(got, x.want):
				t.Fatalf("want a report naming %q, got %q", x.want, got)
			}
		})
	}
	if got := c.unexercised(); slices.Contains(got, "GET /api/v1/partners (listPartners)") {
		t.Fatalf("the documented answer did not count as exercised: %v", got)
	}
}
