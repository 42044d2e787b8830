package httpapi_test

import (
	"bytes"
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
